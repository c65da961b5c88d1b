package dev.ricochet.server.tls;

import dev.ricochet.server.connection.PortSecurity;
import dev.ricochet.server.config.TlsSettings;
import dev.ricochet.server.metrics.ServerMetrics;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * The server's TLS: the certificate files read and checked at startup, the provider chosen,
 * and the certificate served now, which a {@link CertificateReloader} swaps when the files
 * change. Each port asks it for its {@link PortSecurity}; a new connection reads the current
 * context once, so an open connection keeps the certificate it was accepted with.
 *
 * <p>Built before anything listens, so that every problem with the files is bad usage (exit 2)
 * rather than a server that starts and fails every handshake.
 */
public final class ServerTls implements AutoCloseable {

    private static final ServerTls PLAINTEXT = new ServerTls(TlsSettings.plaintext(), null, "plaintext", null);

    private final TlsSettings settings;
    private final SslProvider provider;
    private final String description;
    private final AtomicReference<ServedCertificate> served;
    private CertificateReloader reloader;

    private ServerTls(TlsSettings settings, SslProvider provider, String description, ServedCertificate first) {
        this.settings = settings;
        this.provider = provider;
        this.description = description;
        this.served = new AtomicReference<>(first);
    }

    /** Plaintext on every port. */
    public static ServerTls plaintext() {
        return PLAINTEXT;
    }

    /**
     * Reads and checks the files {@code settings} name, and chooses the provider; plaintext
     * when they name none.
     *
     * @throws TlsSetupException with the reason, naming the option, when a file cannot be read,
     *                           is not PEM, holds a key that is not the certificate's, or the
     *                           provider asked for does not load
     */
    public static ServerTls load(TlsSettings settings) throws TlsSetupException {
        if (!settings.enabled()) {
            return PLAINTEXT;
        }
        SslProvider provider = provider(settings);
        String description = "TLS " + describe(provider, settings) + scope(settings);
        return new ServerTls(settings, provider, description, serve(settings, provider, TlsFiles.read(settings)));
    }

    private static SslProvider provider(TlsSettings settings) throws TlsSetupException {
        return switch (settings.provider()) {
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    Throwable cause = OpenSsl.unavailabilityCause();
                    throw new TlsSetupException("--tls-provider openssl is not available on this machine: "
                            + (cause == null ? "unknown reason" : cause.toString()), cause);
                }
                yield SslProvider.OPENSSL;
            }
        };
    }

    /** What the description says after the provider: {@code , client certificates required, admin port too}. */
    private static String scope(TlsSettings settings) {
        return (settings.clientAuth() ? ", client certificates required" : "")
                + (settings.admin() ? ", admin port too" : "");
    }

    private static String describe(SslProvider provider, TlsSettings settings) {
        String why = switch (settings.provider()) {
            case AUTO -> provider == SslProvider.OPENSSL ? "auto: OpenSSL loaded"
                    : "auto: OpenSSL unavailable (" + OpenSsl.unavailabilityCause() + ")";
            case OPENSSL, JDK -> "requested";
        };
        return (provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK SSLEngine")
                + " (" + why + ")";
    }

    /** Parses the files and builds both contexts from them: what a reload swaps in as one. */
    static ServedCertificate serve(TlsSettings settings, SslProvider provider, TlsFiles files)
            throws TlsSetupException {
        TlsMaterial material = TlsMaterial.parse(settings, files);
        X509Certificate[] chain = material.chain().toArray(X509Certificate[]::new);
        try {
            // The admin port takes the JDK's engine whatever the provider: its server allocates heap
            // buffers only (AdminServer), which OpenSSL's engine cannot work in, and a scrape
            // or a probe is too little traffic for the provider to matter.
            SslContext admin = settings.admin()
                    ? SslContextBuilder.forServer(material.key(), chain).sslProvider(SslProvider.JDK).build() : null;
            SslContextBuilder protocols = SslContextBuilder.forServer(material.key(), chain).sslProvider(provider);
            if (settings.clientAuth()) {
                protocols.clientAuth(ClientAuth.REQUIRE)
                        .trustManager(material.clientCas().toArray(X509Certificate[]::new));
            }
            return new ServedCertificate(files, material, protocols.build(), admin);
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsSetupException("--tls-cert: " + settings.certificate() + " and --tls-key: " + settings.key()
                    + " are refused by the TLS provider: " + e.getMessage(), e);
        }
    }

    public boolean enabled() {
        return provider != null;
    }

    /** For the startup line: {@code TLS OpenSSL (BoringSSL) (auto: OpenSSL loaded)}, or {@code plaintext}. */
    public String description() {
        return description;
    }

    /** The certificate served now: what an engine on blocking sockets builds its JSSE context from. */
    public TlsMaterial material() {
        ServedCertificate now = served.get();
        if (now == null) {
            throw new IllegalStateException("plaintext: no TLS material");
        }
        return now.material();
    }

    /**
     * The TLS of an engine on blocking sockets: JSSE sockets of the certificate served, with the
     * handshake timeout; whatever --tls-provider says (the netty engine's choice). The caller
     * closes it.
     *
     * @throws TlsSetupException when JSSE refuses the certificate or the key
     */
    public JsseTls forBlockingEngine() throws TlsSetupException {
        if (!enabled()) {
            throw new IllegalStateException("plaintext: no TLS for a blocking engine");
        }
        return new JsseTls(this::material, settings.clientAuth(), settings.handshakeTimeout(),
                "TLS JDK JSSE sockets" + scope(settings));
    }

    /** The handlers of a protocol port ({@code echo}, {@code prime}): TLS, or the plaintext port's check. */
    public PortSecurity forProtocol(String protocol, ServerMetrics metrics) {
        if (!enabled()) {
            return PortSecurity.PLAINTEXT;
        }
        return new TlsPort(() -> served.get().protocols(), settings.handshakeTimeout().toMillis(),
                metrics.tlsHandshakes(protocol));
    }

    /** The handlers of the admin port: TLS with --admin-tls, nothing otherwise (its clients speak HTTP). */
    public PortSecurity forAdmin(ServerMetrics metrics) {
        if (!enabled() || !settings.admin()) {
            return PortSecurity.NONE;
        }
        return new TlsPort(() -> served.get().admin(), settings.handshakeTimeout().toMillis(),
                metrics.tlsHandshakes("admin"));
    }

    /**
     * Registers the certificate's meters and, unless --tls-reload-interval is 0s, starts
     * reading the files again at that interval on a thread of its own. Once, after startup.
     */
    public synchronized void startReloading(ServerMetrics metrics) {
        if (!enabled() || reloader != null) {
            return;
        }
        reloader = new CertificateReloader(settings, served, current -> serve(settings, provider, current),
                metrics.bindTls(() -> served.get().material().notAfter().getEpochSecond()));
        reloader.start(settings.reloadInterval());
    }

    /** Reads the files again now, as the reloader does at its interval: for tests. */
    synchronized void reloadNow() {
        if (reloader != null) {
            reloader.check();
        }
    }

    /** Stops reading the files again. */
    @Override
    public synchronized void close() {
        if (reloader != null) {
            reloader.close();
        }
    }
}
