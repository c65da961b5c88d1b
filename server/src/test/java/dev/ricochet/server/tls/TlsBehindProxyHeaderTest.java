package dev.ricochet.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ProxyProtocolSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.NettyEngine;
import dev.ricochet.server.kind.TlsProvider;
import dev.ricochet.server.metrics.MetricNames;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.ProxyHeaders;
import dev.ricochet.server.testing.TestServer;
import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A TLS port behind a load balancer that passes TLS through and prepends a PROXY header (HAProxy's
 * {@code mode tcp} with {@code send-proxy-v2}): the header comes in plaintext, then the client's
 * handshake.
 */
class TlsBehindProxyHeaderTest {

    @TempDir
    Path dir;

    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private NettyEngine server;
    private TestPki ca;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ZERO);
        }
        metrics.close();
    }

    static java.util.List<TlsProvider> providers() {
        return TlsServers.providers();
    }

    private InetSocketAddress start(TlsProvider provider) throws Exception {
        ca = TestPki.create(dir, "ca");
        ServerConfig config = TlsServers.config(TransportKind.NIO, provider, ca.server("localhost", "127.0.0.1"))
                .withListeners(listeners -> listeners.withProxyProtocol(
                        new ProxyProtocolSettings(true, Duration.ofSeconds(5))));
        server = TestServer.start(config, metrics);
        return server.echoAddress();
    }

    private double count(String meter, String tag, String value) {
        return metrics.registry().get(meter).tags(MetricNames.TAG_PROTOCOL, "echo", tag, value).counter().count();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void readsTheHeaderThenHandshakesAndEchoes(TlsProvider provider) throws Exception {
        InetSocketAddress echo = start(provider);
        byte[] header = ProxyHeaders.v2(new InetSocketAddress("203.0.113.7", 4242), echo);
        try (TlsClient client = TlsClient.connectAfter(TlsClient.context(ca, null), echo, header)) {
            assertThat(client.readAscii(1)).isEqualTo("*");
            client.send("^abc$de^abte$f");
            assertThat(client.readAscii(7)).isEqualTo("bcdbcuf");
        }
        await().untilAsserted(() -> assertThat(count(MetricNames.TLS_HANDSHAKES, MetricNames.TAG_RESULT, "success"))
                .isEqualTo(1));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void refusesAHandshakeWithoutTheHeaderAsAConnectionWithoutAHeader(TlsProvider provider) throws Exception {
        InetSocketAddress echo = start(provider);
        assertThatThrownBy(() -> TlsClient.connect(TlsClient.context(ca, null), echo)).isInstanceOf(IOException.class);
        await().untilAsserted(() -> assertThat(count(MetricNames.PROXY_PROTOCOL_REFUSED, MetricNames.TAG_REASON,
                "invalid")).isEqualTo(1));
    }
}
