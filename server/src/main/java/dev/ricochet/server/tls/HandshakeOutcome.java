package dev.ricochet.server.tls;

import dev.ricochet.server.metrics.TlsHandshakeMetrics.Result;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.EOFException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * Tells how a failed handshake failed, from the exception the TLS engine gave: the JDK's and
 * OpenSSL's say the same thing in different words (and the JDK's sockets, for the blocking
 * engines, in words of their own where no Netty handler looked first), and what a user wants from the metric is the
 * small fixed set of {@link Result}, not either engine's vocabulary.
 */
final class HandshakeOutcome {

    private HandshakeOutcome() {
    }

    static Result of(Throwable failure) {
        String messages = messages(failure);
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SslHandshakeTimeoutException) {
                return Result.TIMEOUT;
            }
            if (cause instanceof NotSslRecordException) {
                return Result.NOT_TLS;
            }
        }
        if (messages.contains("unsupported or unrecognized ssl message")) {
            return Result.NOT_TLS; // JSSE sockets: the first bytes are no TLS record
        }
        // Before the certificate checks: OpenSSL reports a missing one with "CERTIFICATE" in its words.
        if (messages.contains("empty client certificate chain") || messages.contains("peer_did_not_return_a_certificate")
                || messages.contains("certificate_required")) {
            return Result.MISSING_CERTIFICATE;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
                    || cause instanceof CertPathBuilderException) {
                return Result.BAD_CERTIFICATE;
            }
        }
        if (messages.contains("certificate_unknown") || messages.contains("bad_certificate")
                || messages.contains("certificate_verify_failed") || messages.contains("certificate_expired")
                || messages.contains("unknown_ca")) {
            return Result.BAD_CERTIFICATE;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClosedChannelException || cause instanceof EOFException) {
                return Result.CLOSED; // EOFException: JSSE sockets, "SSL peer shut down incorrectly"
            }
        }
        if (messages.contains("sslhandler removed before handshake completed")
                || messages.contains("connection reset") || messages.contains("remote host terminated the handshake")
                || messages.contains("broken pipe") || messages.contains("socket closed")
                || messages.contains("socket is closed")) {
            return Result.CLOSED;
        }
        return Result.FAILED;
    }

    /** Every message of the chain, lower case, in one string. */
    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            all.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append('\n');
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }
}
