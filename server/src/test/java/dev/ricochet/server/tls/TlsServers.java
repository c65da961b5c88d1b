package dev.ricochet.server.tls;

import dev.ricochet.server.Engines;
import dev.ricochet.server.config.EngineSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.config.TlsSettings;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.kind.TlsProvider;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.Transports;
import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.testing.TestPki;
import io.netty.handler.ssl.OpenSsl;
import java.util.ArrayList;
import java.util.List;

/** Loopback servers with TLS, on the providers this machine has, and on every engine. */
final class TlsServers {

    private TlsServers() {
    }

    /**
     * One TLS server the suites run against: the netty engine on a transport with a provider,
     * or a blocking engine (JSSE sockets, whatever the provider: it is left at auto).
     */
    record Server(EngineKind engine, TransportKind transport, TlsProvider provider) {

        /** The netty engine on every transport with every provider, and every blocking engine. */
        static List<Server> all() {
            List<Server> servers = new ArrayList<>();
            for (TlsProvider provider : providers()) {
                for (TransportKind transport : Transports.underTest()) {
                    servers.add(new Server(EngineKind.NETTY, transport, provider));
                }
            }
            servers.addAll(blocking());
            return servers;
        }

        /** The netty engine on NIO with every provider, and every blocking engine: for what transports do not change. */
        static List<Server> eachEngine() {
            List<Server> servers = new ArrayList<>();
            for (TlsProvider provider : providers()) {
                servers.add(new Server(EngineKind.NETTY, TransportKind.NIO, provider));
            }
            servers.addAll(blocking());
            return servers;
        }

        /** {@link #eachEngine} but sequential, which serves one connection at a time. */
        static List<Server> concurrent() {
            return eachEngine().stream().filter(server -> server.engine() != EngineKind.SEQUENTIAL).toList();
        }

        private static List<Server> blocking() {
            List<Server> servers = new ArrayList<>();
            for (EngineKind engine : EngineKind.values()) {
                if (!engine.eventLoops()) {
                    servers.add(new Server(engine, TransportKind.AUTO, TlsProvider.AUTO));
                }
            }
            return servers;
        }

        /** A loopback server of this engine serving {@code certificate}. */
        ServerConfig config(TestPki.Issued certificate) {
            ServerConfig config = ServerConfig.loopback(transport).withEngine(EngineSettings.of(engine));
            return config.withTls(tls -> {
                TlsSettings served = tls.withCertificate(certificate.certificate(), certificate.key());
                return engine.eventLoops() ? served.withProvider(provider) : served;
            });
        }

        /** Started as Main starts it: {@code tls} loaded from {@code config}, then the engine. */
        Engine start(ServerConfig config, ServerTls tls, ServerMetrics metrics) throws Exception {
            return Engines.prepare(config, tls).start(metrics);
        }

        /** Whether a client can stay connected while another is served. */
        boolean concurrentClients() {
            return engine != EngineKind.SEQUENTIAL;
        }

        @Override
        public String toString() {
            return engine.eventLoops() ? engine.cliName() + "/" + transport.cliName() + "/" + provider.cliName()
                    : engine.cliName();
        }
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

    /** The netty engine on {@code transport} with {@code provider}, serving {@code certificate}. */
    static ServerConfig config(TransportKind transport, TlsProvider provider, TestPki.Issued certificate) {
        return new Server(EngineKind.NETTY, transport, provider).config(certificate);
    }
}
