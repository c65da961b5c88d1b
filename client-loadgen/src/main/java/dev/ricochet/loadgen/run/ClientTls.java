package dev.ricochet.loadgen.run;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * TLS on a run's connections ({@code --tls}): one client context for the whole run, and a
 * handler per connection that sends {@link #serverName} as SNI and, unless
 * {@link Trust#INSECURE}, verifies the server's certificate for that name (as HTTPS does).
 * {@code auto} takes OpenSSL (netty-tcnative's BoringSSL) when it loads and falls back to the
 * JDK's engine, as {@link ClientTransport} falls back from epoll to NIO; a provider asked for
 * that does not load is refused (a benchmark must not quietly run on another one).
 *
 * @param context           the client context; null in a report read back (a merge), which only
 *                          describes the run
 * @param provider          {@code openssl} or {@code jdk}
 * @param providerReason    why this one: asked for, or what {@code auto} found
 * @param trust             which server certificates are trusted
 * @param caFile            with {@link Trust#CA_FILE}, the authorities' PEM file; else null
 * @param serverName        the name sent as SNI and verified in the server's certificate
 * @param clientCertificate the client certificate's PEM file, for a server that asks for one
 *                          (mutual TLS); null without
 */
public record ClientTls(SslContext context, String provider, String providerReason, Trust trust, Path caFile,
        String serverName, Path clientCertificate) {

    public static final String PROVIDERS = "auto, openssl or jdk";

    /** Which server certificates a run trusts. */
    public enum Trust {
        /** Those issued by the authorities of {@code --tls-ca}. */
        CA_FILE,
        /** Those the JDK's default trust store trusts (its {@code cacerts}), as a browser or curl would. */
        SYSTEM,
        /** Any certificate, for any name ({@code --tls-insecure}): the connection is encrypted, not authenticated. */
        INSECURE
    }

    /**
     * A client context, built now so that a bad file is refused before the first connection.
     *
     * @param provider    {@code --tls-provider}: auto, openssl or jdk
     * @param caFile      {@code --tls-ca}, or null
     * @param insecure    {@code --tls-insecure}
     * @param serverName  {@code --tls-server-name}, or the target's host
     * @param certificate {@code --tls-cert}, or null (then {@code key} is null too)
     * @param key         {@code --tls-key}, or null
     * @throws IllegalArgumentException with a one-line reason naming the option, for bad usage
     */
    public static ClientTls build(String provider, Path caFile, boolean insecure, String serverName, Path certificate,
            Path key) {
        SslProvider chosen;
        String reason;
        switch (provider.toLowerCase(Locale.ROOT)) {
            case "auto" -> {
                chosen = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
                reason = OpenSsl.isAvailable() ? "auto: " + OpenSsl.versionString() + " loaded"
                        : "auto: OpenSSL unavailable (" + OpenSsl.unavailabilityCause() + ")";
            }
            case "openssl" -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalArgumentException("--tls-provider openssl: not available on this machine ("
                            + OpenSsl.unavailabilityCause() + ")");
                }
                chosen = SslProvider.OPENSSL;
                reason = "requested, " + OpenSsl.versionString();
            }
            case "jdk" -> {
                chosen = SslProvider.JDK;
                reason = "requested";
            }
            default -> throw new IllegalArgumentException("--tls-provider: " + provider + " (expected: " + PROVIDERS
                    + ")");
        }
        Trust trust = insecure ? Trust.INSECURE : caFile != null ? Trust.CA_FILE : Trust.SYSTEM;
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(chosen)
                // Verify the certificate is the server's, by name, unless told to trust anything.
                .endpointIdentificationAlgorithm(trust == Trust.INSECURE ? null : "HTTPS");
        if (trust == Trust.INSECURE) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (trust == Trust.CA_FILE) {
            try (InputStream in = open("--tls-ca", caFile)) {
                builder.trustManager(in);
            } catch (IOException | IllegalArgumentException e) {
                throw unusable("--tls-ca", caFile, "PEM certificates", e);
            }
        }
        if (certificate != null) {
            try (InputStream cert = open("--tls-cert", certificate); InputStream pem = open("--tls-key", key)) {
                builder.keyManager(cert, pem);
            } catch (IOException | IllegalArgumentException e) {
                throw unusable("--tls-cert and --tls-key", certificate + " and " + key,
                        "a PEM certificate and its PEM (PKCS#8) private key", e);
            }
        }
        try {
            return new ClientTls(builder.build(), chosen == SslProvider.OPENSSL ? "openssl" : "jdk", reason, trust,
                    caFile, serverName, certificate);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--tls: cannot make a client context from these files ("
                    + e.getMessage() + ")", e);
        }
    }

    private static InputStream open(String option, Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": " + file + " (cannot read it: " + e + ")", e);
        }
    }

    private static IllegalArgumentException unusable(String option, Object files, String expected, Exception e) {
        if (e instanceof IllegalArgumentException refused && refused.getMessage().startsWith("--tls")) {
            return refused; // unreadable: open said so
        }
        return new IllegalArgumentException(option + ": " + files + " (expected: " + expected + "; "
                + (e.getCause() != null ? e.getCause() : e) + ")", e);
    }

    /**
     * A handler for one connection to {@code port}: it starts the handshake once the TCP connect
     * completes. Its own handshake timeout is off: the connection's deadline,
     * {@code --connect-timeout} from the connect's start, covers the handshake and the greeting.
     */
    SslHandler newHandler(ByteBufAllocator alloc, int port) {
        SslHandler handler = context.newHandler(alloc, serverName, port);
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    /** What reports say of it, as the header's TLS line. */
    public String describe() {
        String trusting = switch (trust) {
            case CA_FILE -> "trusting the authorities of " + caFile;
            case SYSTEM -> "trusting the JDK's default trust store";
            case INSECURE -> "INSECURE: trusting any certificate for any name";
        };
        return provider + " (" + providerReason + "), " + trusting + ", server name " + serverName
                + (clientCertificate != null ? ", client certificate " + clientCertificate : "");
    }
}
