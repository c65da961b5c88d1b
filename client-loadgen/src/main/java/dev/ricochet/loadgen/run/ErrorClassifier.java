package dev.ricochet.loadgen.run;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/**
 * Names what went wrong with a connection from the exception's type and, for the native
 * transports, the errno it carries; never from message text, which differs between
 * transports, JDKs and locales.
 */
final class ErrorClassifier {

    /** How far down the cause chain to look: transports wrap the errno-carrying exception once or twice. */
    private static final int MAX_DEPTH = 4;

    private ErrorClassifier() {
    }

    static ErrorKind classify(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            ErrorKind kind = classifyOne(cause);
            if (kind != ErrorKind.OTHER) {
                return kind;
            }
        }
        return ErrorKind.OTHER;
    }

    private static ErrorKind classifyOne(Throwable cause) {
        // Before ConnectException: Netty's connect timeout is one.
        if (cause instanceof ConnectTimeoutException || cause instanceof SocketTimeoutException) {
            return ErrorKind.TIMEOUT;
        }
        if (cause instanceof Errors.NativeIoException nativeIo) {
            // The class is only ever thrown once the native library is loaded, so reading
            // Errors' errno constants here cannot fail to link.
            int errno = nativeIo.expectedErr();
            if (errno == Errors.ERRNO_ECONNRESET_NEGATIVE || errno == Errors.ERRNO_EPIPE_NEGATIVE) {
                return ErrorKind.RESET;
            }
            if (errno == Errors.ERROR_ECONNREFUSED_NEGATIVE) {
                return ErrorKind.REFUSED;
            }
            return ErrorKind.OTHER;
        }
        // A failed connect: what ConnectException stands for (the native transports throw
        // it for ECONNREFUSED, NIO for a refused connect). Unreachable hosts have their own
        // types (NoRouteToHostException), which stay OTHER.
        if (cause instanceof ConnectException) {
            return ErrorKind.REFUSED;
        }
        // Every TLS failure the JDK or OpenSSL engine reports (a handshake refused, an alert, a
        // broken record): its message, sampled, says which.
        if (cause instanceof SSLException) {
            return ErrorKind.TLS;
        }
        if (cause instanceof ClosedChannelException) {
            return ErrorKind.CLOSED_EARLY;
        }
        // NIO carries no errno: on a connected channel the JDK throws exactly SocketException
        // (not a subclass) only for ECONNRESET (SocketChannelImpl turns its internal
        // ConnectionResetException into one); its other failures there are plain
        // IOExceptions or subclasses, which stay OTHER.
        if (cause.getClass() == SocketException.class) {
            return ErrorKind.RESET;
        }
        return ErrorKind.OTHER;
    }
}
