package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.Engines;
import dev.ricochet.server.config.EngineSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.Transports;
import dev.ricochet.server.transport.TransportKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --reuse-port}: two servers on the same ports, as two replicas on one host, or the new
 * process of a rolling restart beside the old one.
 */
class ReusePortTest {

    /** Enough that the kernel's hash sends some to each of two listeners but with a chance of 2^-39. */
    private static final int CONNECTIONS = 40;

    /** The netty engine on every transport, and every blocking engine. */
    static Stream<Arguments> engines() {
        Stream<Arguments> netty = Transports.underTest().stream().map(t -> Arguments.of(EngineKind.NETTY, t));
        Stream<Arguments> blocking = Stream.of(EngineKind.values()).filter(k -> !k.eventLoops())
                .map(k -> Arguments.of(k, TransportKind.AUTO));
        return Stream.concat(netty, blocking);
    }

    private static ServerConfig config(EngineKind kind, TransportKind transport, boolean reusePort) {
        return ServerConfig.loopback(transport).withEngine(EngineSettings.of(kind))
                .withListeners(l -> l.withReusePort(reusePort));
    }

    private static Engine startBeside(Engine first, ServerConfig config) throws Exception {
        return Engines.start(config.withListeners(l -> l.withPorts(first.echoAddress().getPort(),
                first.primeAddress().getPort())), ServerMetrics.disabled());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void twoServersWithReusePortShareBothPortsAndBothServe(EngineKind kind, TransportKind transport) throws Exception {
        ServerConfig config = config(kind, transport, true);
        try (Engine first = Engines.start(config, ServerMetrics.disabled());
                Engine second = startBeside(first, config)) {
            assertThat(second.echoAddress()).isEqualTo(first.echoAddress());
            assertThat(second.primeAddress()).isEqualTo(first.primeAddress());
            // One after the other: the sequential engine serves one connection at a time.
            try (EchoClient echo = EchoClient.connect(first.echoAddress())) {
                assertThat(echo.send("^ab$").readAscii(2)).isEqualTo("bc");
            }
            try (LineClient prime = new LineClient(first.primeAddress())) {
                assertThat(prime.send("7\n").readLine()).isEqualTo("prime");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void theKernelSpreadsNewConnectionsOverBothServers(EngineKind kind, TransportKind transport) throws Exception {
        if (kind == EngineKind.SEQUENTIAL) {
            return; // it holds one connection at a time: the others wait unaccepted, counted nowhere
        }
        ServerConfig config = config(kind, transport, true);
        List<EchoClient> clients = new ArrayList<>();
        try (Engine first = Engines.start(config, ServerMetrics.disabled());
                Engine second = startBeside(first, config)) {
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(EchoClient.connect(first.echoAddress()));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    first.stats().openConnections() + second.stats().openConnections()).isEqualTo(CONNECTIONS));
            assertThat(first.stats().openConnections()).isPositive();
            assertThat(second.stats().openConnections()).isPositive();
        } finally {
            for (EchoClient client : clients) {
                client.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void withoutReusePortASecondServerCannotBindThePorts(EngineKind kind, TransportKind transport) throws Exception {
        try (Engine first = Engines.start(config(kind, transport, false), ServerMetrics.disabled())) {
            // A BindException from the JDK, a native one of the same errno from Netty's transports.
            assertThatThrownBy(() -> startBeside(first, config(kind, transport, false)).close())
                    .hasMessageContaining("Address already in use");
        }
    }
}
