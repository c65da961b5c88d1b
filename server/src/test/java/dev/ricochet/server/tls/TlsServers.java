package dev.ricochet.server.tls;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.config.TlsSettings;
import dev.ricochet.server.kind.TlsProvider;
import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.testing.TestPki;
import io.netty.handler.ssl.OpenSsl;
import java.util.ArrayList;
import java.util.List;

/** Loopback servers with TLS, on the providers this machine has. */
final class TlsServers {

    private TlsServers() {
    }

    /** OpenSSL where it loads (it must, on Linux x86-64: the build ships its library), and the JDK's. */
    static List<TlsProvider> providers() {
        List<TlsProvider> providers = new ArrayList<>();
        if (OpenSsl.isAvailable() || isLinuxX86()) {
            providers.add(TlsProvider.OPENSSL);
        }
        providers.add(TlsProvider.JDK);
        return providers;
    }

    private static boolean isLinuxX86() {
        return System.getProperty("os.name", "").toLowerCase().contains("linux")
                && System.getProperty("os.arch", "").matches("amd64|x86_64");
    }

    static ServerConfig config(TransportKind transport, TlsProvider provider, TestPki.Issued certificate) {
        return ServerConfig.loopback(transport).withTls(tls -> tls
                .withCertificate(certificate.certificate(), certificate.key()).withProvider(provider));
    }

    static TlsSettings settings(TlsProvider provider, TestPki.Issued certificate) {
        return TlsSettings.plaintext().withCertificate(certificate.certificate(), certificate.key())
                .withProvider(provider);
    }
}
