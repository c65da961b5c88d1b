package dev.ricochet.server.config;

import dev.ricochet.cli.Range;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.kind.TlsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS on the echo and prime ports, and optionally on the admin port. Off unless a certificate
 * is given. The files are read, checked and watched by {@code tls.ServerTls}; here only what
 * can be told without reading them.
 *
 * @param certificate      the server's certificate chain, PEM ({@code --tls-cert}); null: plaintext
 * @param key              its private key, PEM, PKCS#8 ({@code --tls-key}); given with the certificate
 * @param clientCa         the authorities a client certificate must chain to, PEM
 *                         ({@code --tls-client-ca}); null: no client certificate asked for
 * @param provider         OpenSSL or the JDK's engine ({@code --tls-provider})
 * @param handshakeTimeout a connection that has not finished its handshake within it is closed
 *                         ({@code --tls-handshake-timeout})
 * @param reloadInterval   how often the files are read again for a rotated certificate
 *                         ({@code --tls-reload-interval}); zero for never
 * @param admin            whether the admin port serves HTTPS with the same certificate ({@code --admin-tls})
 */
public record TlsSettings(Path certificate, Path key, Path clientCa, TlsProvider provider, Duration handshakeTimeout,
        Duration reloadInterval, boolean admin) {

    /** The blocking engines serve TLS on the JDK's JSSE sockets, whatever is asked. */
    private static final String JSSE_ONLY = "the blocking engines always use the JDK's JSSE sockets";

    static final ServerOption<Path> CERT = ServerOption.file("--tls-cert",
            "Serve the echo and prime ports over TLS with this certificate chain (PEM, the server's certificate"
                    + " first); read again when it changes, for rotation. With --tls-key.");
    static final ServerOption<Path> KEY = ServerOption.file("--tls-key",
            "The private key of --tls-cert (PEM, unencrypted PKCS#8: BEGIN PRIVATE KEY).");
    static final ServerOption<Path> CLIENT_CA = ServerOption.file("--tls-client-ca",
            "Mutual TLS: every client must present a certificate issued by one of these authorities (PEM).");
    static final ServerOption<TlsProvider> PROVIDER = ServerOption.choice("--tls-provider", "KIND",
            TlsProvider.class, TlsProvider::cliName, "auto",
            "auto, openssl or jdk (netty engine; the blocking engines use the JDK's JSSE sockets). auto takes"
                    + " OpenSSL (BoringSSL) when its native library loads, the JDK's SSLEngine otherwise.")
            .onlyFor(EngineKind::eventLoops, JSSE_ONLY);
    static final ServerOption<Duration> HANDSHAKE_TIMEOUT = ServerOption.duration("--tls-handshake-timeout",
            Range.between(Duration.ofMillis(100), Duration.ofMinutes(10), "100ms..10m"), "10s",
            "Close a TLS connection whose handshake has not finished within this long.");
    /**
     * Polled rather than watched (see tls.CertificateReloader): a read of two small files every
     * few seconds costs nothing, and sees every way a file can change.
     */
    static final ServerOption<Duration> RELOAD_INTERVAL = ServerOption.duration("--tls-reload-interval",
            Range.zeroOr(Duration.ofSeconds(1), Duration.ofDays(1)), "10s",
            "How often the TLS files are read again: new connections get a changed certificate, open ones keep"
                    + " theirs; 0s: never.");
    static final ServerOption<Boolean> ADMIN = ServerOption.bool("--admin-tls", false,
            "Serve the admin port over TLS (HTTPS) too, with the same certificate (true or false); without"
                    + " --tls-client-ca's demand of a client certificate.");
    static final List<ServerOption<?>> OPTIONS = List.of(CERT, KEY, CLIENT_CA, PROVIDER, HANDSHAKE_TIMEOUT,
            RELOAD_INTERVAL, ADMIN);

    public TlsSettings {
        Objects.requireNonNull(provider, "provider");
        HANDSHAKE_TIMEOUT.require(handshakeTimeout);
        RELOAD_INTERVAL.require(reloadInterval);
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException(certificate == null
                    ? "--tls-key: " + key + " (expected: with --tls-cert, the certificate it is the key of)"
                    : "--tls-cert: " + certificate + " (expected: with --tls-key, its private key)");
        }
        if (clientCa != null && certificate == null) {
            throw new IllegalArgumentException("--tls-client-ca: " + clientCa
                    + " (expected: with --tls-cert and --tls-key, which turn TLS on)");
        }
        if (admin && certificate == null) {
            throw new IllegalArgumentException("--admin-tls: true (expected: with --tls-cert and --tls-key,"
                    + " the certificate it serves)");
        }
    }

    /** Plaintext everywhere: every option at its default. */
    public static TlsSettings plaintext() {
        return new TlsSettings(null, null, null, PROVIDER.byDefault(), HANDSHAKE_TIMEOUT.byDefault(),
                RELOAD_INTERVAL.byDefault(), false);
    }

    /** Whether the echo and prime ports speak TLS. */
    public boolean enabled() {
        return certificate != null;
    }

    /** Whether clients must present a certificate (mutual TLS). */
    public boolean clientAuth() {
        return clientCa != null;
    }

    /** TLS with this certificate and key, the other settings kept. */
    public TlsSettings withCertificate(Path certificate, Path key) {
        return new TlsSettings(certificate, key, clientCa, provider, handshakeTimeout, reloadInterval, admin);
    }

    public TlsSettings withClientCa(Path clientCa) {
        return new TlsSettings(certificate, key, clientCa, provider, handshakeTimeout, reloadInterval, admin);
    }

    public TlsSettings withProvider(TlsProvider provider) {
        return new TlsSettings(certificate, key, clientCa, provider, handshakeTimeout, reloadInterval, admin);
    }

    public TlsSettings withHandshakeTimeout(Duration handshakeTimeout) {
        return new TlsSettings(certificate, key, clientCa, provider, handshakeTimeout, reloadInterval, admin);
    }

    public TlsSettings withReloadInterval(Duration reloadInterval) {
        return new TlsSettings(certificate, key, clientCa, provider, handshakeTimeout, reloadInterval, admin);
    }

    public TlsSettings withAdmin(boolean admin) {
        return new TlsSettings(certificate, key, clientCa, provider, handshakeTimeout, reloadInterval, admin);
    }

    static TlsSettings from(OptionValues options) {
        return new TlsSettings(options.value(CERT), options.value(KEY), options.value(CLIENT_CA),
                options.value(PROVIDER), options.value(HANDSHAKE_TIMEOUT), options.value(RELOAD_INTERVAL),
                options.value(ADMIN));
    }
}
