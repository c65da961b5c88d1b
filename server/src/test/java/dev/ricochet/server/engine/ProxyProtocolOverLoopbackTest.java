package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ProxyProtocolSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.metrics.MetricNames;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.LogLines;
import dev.ricochet.server.testing.ProxyHeaders;
import dev.ricochet.server.testing.ReferenceCase;
import dev.ricochet.server.testing.TestServer;
import dev.ricochet.server.testing.Transports;
import dev.ricochet.server.transport.TransportKind;
import io.micrometer.core.instrument.Counter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --proxy-protocol} over real loopback sockets: headers written by hand from the
 * specification, then the protocols behind them; and every way a connection can fail to
 * present one, each refused with nothing sent and counted.
 */
class ProxyProtocolOverLoopbackTest {

    /** The client behind the proxy, in TEST-NET-3: an address no loopback socket has. */
    private static final InetSocketAddress CLIENT = address("203.0.113.7", 4242);
    private static final InetSocketAddress CLIENT_V6 = address("2001:db8::7", 4243);
    private static final InetSocketAddress SERVER = address("198.51.100.1", 9090);
    private static final InetSocketAddress SERVER_V6 = address("2001:db8::1", 9090);
    /** Long enough that a connection closed in a test was refused for its bytes, not timed out. */
    private static final Duration NO_TIMEOUT_IN_THIS_TEST = Duration.ofSeconds(60);

    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private NettyEngine server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        metrics.close();
    }

    static List<TransportKind> transports() {
        return Transports.underTest();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void answersTheReferenceCasesBehindAV2Header(TransportKind transport) throws Exception {
        start(transport, NO_TIMEOUT_IN_THIS_TEST);
        try (EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            client.send(ProxyHeaders.v2(CLIENT, SERVER));
            assertThat(client.readAscii(1)).as("greeting").isEqualTo("*");
            client.playsEveryReferenceCase();
            client.shutdownOutput();
            assertThat(client.readToEnd()).isEmpty();
        }
        assertThat(refused("echo", "invalid") + refused("echo", "timeout") + refused("echo", "closed")).isZero();
    }

    @Test
    void answersTheBytesThatCameWithTheHeaderInOneSegmentAfterTheGreeting() throws Exception {
        start(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST);
        try (EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            client.send(ProxyHeaders.concat(ProxyHeaders.v2(CLIENT, SERVER), ReferenceCase.bytes("^abc$de^abte$f")));
            assertThat(client.readAscii(8)).isEqualTo("*bcdbcuf");
        }
    }

    /** Every split point of the v2 and v1 headers, and the first frame's bytes right behind the header. */
    @ParameterizedTest
    @ValueSource(strings = {"v2", "v2-ipv6", "v1"})
    void readsAHeaderSplitAcrossSegmentsAtEveryByte(String kind) throws Exception {
        start(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST);
        byte[] header = switch (kind) {
            case "v2" -> ProxyHeaders.v2(CLIENT, SERVER);
            case "v2-ipv6" -> ProxyHeaders.v2(CLIENT_V6, SERVER_V6);
            default -> ProxyHeaders.v1(CLIENT, SERVER);
        };
        byte[] stream = ProxyHeaders.concat(header, ReferenceCase.bytes("^ab"));
        for (int split = 1; split < header.length + 1; split++) {
            try (EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress())) {
                client.send(Arrays.copyOfRange(stream, 0, split)); // TCP_NODELAY: a segment each
                client.send(Arrays.copyOfRange(stream, split, stream.length));
                assertThat(client.readAscii(3)).as("split at byte %d", split).isEqualTo("*bc");
            }
        }
        try (EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            for (byte b : stream) {
                client.send(new byte[] {b});
            }
            assertThat(client.readAscii(3)).as("one byte per segment").isEqualTo("*bc");
        }
        assertThat(refused("echo", "invalid")).isZero();
    }

    @Test
    void acceptsALocalHeaderFromTheProxysHealthCheckAndKeepsTheSocketsAddress() throws Exception {
        start(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST);
        try (LogLines logs = LogLines.capture();
                EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            client.send(ProxyHeaders.v2Local()).send("^ok");
            assertThat(client.readAscii(3)).isEqualTo("*pl");
            String socket = client.socket().getLocalSocketAddress().toString();
            assertThat(logs.lines()).anyMatch(line -> line.startsWith("DEBUG Connection " + socket + " through proxy "
                    + socket + ": PROXY protocol V2 LOCAL header"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "^abc$", // the echo protocol itself, straight to the port
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
            "PROXY TCP4 not-an-address 127.0.0.1 1 2\r\n",
            "PROXY TCP4 203.0.113.7 127.0.0.1 4242\r\n", // a port missing
            "\r\n\r\n\u0000\r\nQUIX\n", // the v2 signature, but for one byte
            "\u0016\u0003\u0001\u0002\u0000\u0001"}) // a TLS ClientHello's first bytes
    void refusesAConnectionWithoutAValidHeaderSendingNothing(String garbage) throws Exception {
        start(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST);
        try (EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            client.send(garbage.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(client.readToEnd()).as("no greeting, no reply").isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> refused("echo", "invalid") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> closed("echo", "error") == 1);
    }

    @Test
    void refusesAV2HeaderOfAnotherVersion() throws Exception {
        start(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST);
        byte[] header = ProxyHeaders.v2(CLIENT, SERVER);
        header[12] = 0x31; // version 3
        try (EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            client.send(header);
            assertThat(client.readToEnd()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> refused("echo", "invalid") == 1);
    }

    @Test
    void closesASilentConnectionAtTheHeaderTimeoutSendingNothing() throws Exception {
        start(TransportKind.AUTO, Duration.ofMillis(300));
        try (EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            assertThat(client.readToEnd()).as("no greeting").isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> refused("echo", "timeout") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> closed("echo", "idle") == 1);
    }

    @Test
    void closesAConnectionWhoseHeaderStopsHalfwayAtTheHeaderTimeout() throws Exception {
        start(TransportKind.AUTO, Duration.ofMillis(300));
        try (EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            client.send(Arrays.copyOf(ProxyHeaders.v2(CLIENT, SERVER), 20));
            assertThat(client.readToEnd()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> refused("echo", "timeout") == 1);
    }

    @Test
    void countsAClientThatLeavesInTheMiddleOfItsHeaderButNotOneThatSentNothing() throws Exception {
        start(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST);
        try (EchoClient silent = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            silent.shutdownOutput(); // a TCP health check: connects, leaves
            assertThat(silent.readToEnd()).isEmpty();
        }
        try (EchoClient halfway = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            halfway.send(Arrays.copyOf(ProxyHeaders.v2(CLIENT, SERVER), 20));
            halfway.shutdownOutput();
            assertThat(halfway.readToEnd()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().openConnections() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> refused("echo", "closed") == 1);
        assertThat(refused("echo", "invalid") + refused("echo", "timeout")).isZero();
    }

    @Test
    void aConnectionWaitingForItsHeaderCountsAgainstTheConnectionLimit() throws Exception {
        server = TestServer.start(config(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST)
                .withConnections(c -> c.withMax(1)), metrics);
        try (EchoClient waiting = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().openConnections() == 1);
            try (EchoClient beyond = EchoClient.connectWithoutGreeting(server.echoAddress())) {
                assertThat(beyond.serverClosed()).as("turned away by the limit, not greeted").isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> closed("echo", "limit") == 1);
            waiting.send(ProxyHeaders.v2(CLIENT, SERVER)).send("^a");
            assertThat(waiting.readAscii(2)).isEqualTo("*b");
        }
        assertThat(refused("echo", "invalid") + refused("echo", "timeout") + refused("echo", "closed")).isZero();
    }

    @Test
    void aDrainClosesAConnectionStillWaitingForItsHeaderAtOnceItIsOwedNothing() throws Exception {
        start(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST);
        try (EchoClient waiting = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().openConnections() == 1);
            // The grace outlasts the client's read timeout: only the drain's own close can end the read.
            Thread.ofVirtual().start(() -> server.shutdown(Duration.ofMinutes(5)));
            assertThat(waiting.readToEnd()).as("no greeting").isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> closed("echo", "drained") == 1);
        assertThat(refused("echo", "invalid") + refused("echo", "timeout") + refused("echo", "closed")).isZero();
    }

    @Test
    void logsTheProxiedClientsAddressWhenItsConnectionFails() throws Exception {
        start(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST);
        try (LogLines logs = LogLines.capture()) {
            EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress());
            client.send(ProxyHeaders.v2(CLIENT, SERVER)).send("^a");
            assertThat(client.readAscii(2)).isEqualTo("*b");
            client.reset();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logs.lines())
                    .anyMatch(line -> line.startsWith("DEBUG Connection /203.0.113.7:4242 failed: ")));
            assertThat(logs.lines()).anyMatch(line -> line.startsWith("DEBUG Connection /203.0.113.7:4242 through proxy /127.0.0.1:"));
        }
    }

    @Test
    void answersPrimeRequestsBehindAHeader() throws Exception {
        start(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST);
        try (LineClient client = new LineClient(server.primeAddress())) {
            client.socket().getOutputStream().write(ProxyHeaders.concat(ProxyHeaders.v2(CLIENT, SERVER),
                    "7\n8\n".getBytes(StandardCharsets.US_ASCII)));
            client.send("nope\n");
            assertThat(List.of(client.readLine(), client.readLine(), client.readLine()))
                    .containsExactly("prime", "composite", "error: not a decimal number");
        }
    }

    @Test
    void refusesAPrimeConnectionWithoutAHeaderAndCountsItUnderPrime() throws Exception {
        start(TransportKind.AUTO, NO_TIMEOUT_IN_THIS_TEST);
        try (LineClient client = new LineClient(server.primeAddress())) {
            client.send("7\n");
            assertThat(client.readLine()).isNull();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> refused("prime", "invalid") == 1);
        assertThat(refused("echo", "invalid")).isZero();
    }

    private void start(TransportKind transport, Duration headerTimeout) throws Exception {
        server = TestServer.start(config(transport, headerTimeout), metrics);
    }

    private static ServerConfig config(TransportKind transport, Duration headerTimeout) {
        return ServerConfig.loopback(transport)
                .withListeners(l -> l.withProxyProtocol(new ProxyProtocolSettings(true, headerTimeout)));
    }

    private double refused(String protocol, String reason) {
        return counter(MetricNames.PROXY_PROTOCOL_REFUSED, protocol, reason).count();
    }

    private double closed(String protocol, String reason) {
        return counter(MetricNames.CONNECTIONS_CLOSED, protocol, reason).count();
    }

    private Counter counter(String name, String protocol, String reason) {
        return metrics.registry().get(name).tag(MetricNames.TAG_PROTOCOL, protocol)
                .tag(MetricNames.TAG_REASON, reason).counter();
    }

    private static InetSocketAddress address(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
