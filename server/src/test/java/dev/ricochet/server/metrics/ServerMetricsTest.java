package dev.ricochet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.engine.NettyEngine;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.prime.PrimeMethod;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.ServerUnderTest;
import dev.ricochet.server.testing.TestServer;
import dev.ricochet.server.transport.TransportKind;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the meters say after real traffic, read from the Prometheus page as a scraper sees it. */
class ServerMetricsTest {

    private ServerMetrics metrics = ServerMetrics.prometheus();
    private EngineKind engine = EngineKind.NETTY;

    static List<ServerUnderTest> engines() {
        return ServerUnderTest.eachEngine();
    }

    static List<ServerUnderTest> concurrentEngines() {
        return ServerUnderTest.eachEngine().stream().filter(ServerUnderTest.concurrent()::contains).toList();
    }

    @AfterEach
    void close() {
        metrics.close();
    }

    /** The series' value, its engine label added (every series has one). */
    private double value(String series) {
        String label = "engine=\"" + engine.cliName() + "\"";
        series = series.contains("{") ? series.replaceFirst("\\{", "{" + label + ",") : series + "{" + label + "}";
        String page = metrics.scrape(null);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(page);
        assertThat(m.find()).as("series %s on the page", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private NettyEngine start(ServerConfig config) throws Exception {
        return TestServer.start(config, metrics);
    }

    private Engine start(ServerUnderTest server, ServerConfig config) throws Exception {
        metrics.close();
        engine = server.engine();
        metrics = ServerMetrics.prometheus(engine);
        return server.start(config, metrics);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void countsEchoConnectionsBytesAndFrames(ServerUnderTest under) throws Exception {
        try (Engine server = start(under, ServerConfig.loopback(TransportKind.AUTO))) {
            try (EchoClient client = EchoClient.connect(server.echoAddress())) {
                client.send("xx^abc$^de");
                assertThat(client.readAscii(5)).isEqualTo("bcdef");
                assertThat(value("ricochet_connections_active{protocol=\"echo\"}")).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> value("ricochet_connections_closed_total{protocol=\"echo\",reason=\"client\"}") == 1);
            assertThat(value("ricochet_connections_active{protocol=\"echo\"}")).isZero();
            assertThat(value("ricochet_connections_accepted_total{protocol=\"echo\"}")).isEqualTo(1);
            assertThat(value("ricochet_received_bytes_total{protocol=\"echo\"}")).isEqualTo(10);
            assertThat(value("ricochet_sent_bytes_total{protocol=\"echo\"}")).isEqualTo(6); // '*' and 5 replies
            assertThat(value("ricochet_echo_frames_total")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void countsAResetPeerAsAnErrorClose(ServerUnderTest under) throws Exception {
        try (Engine server = start(under, ServerConfig.loopback(TransportKind.AUTO))) {
            EchoClient client = EchoClient.connect(server.echoAddress());
            client.send("^abc");
            client.readAscii(3);
            client.send("^more");
            client.reset();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    value("ricochet_connections_closed_total{protocol=\"echo\",reason=\"error\"}")
                            + value("ricochet_connections_closed_total{protocol=\"echo\",reason=\"client\"}") == 1);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closesConnectionsBeyondTheLimitAndCountsThem(ServerUnderTest under) throws Exception {
        try (Engine server = start(under, ServerConfig.loopback(TransportKind.AUTO).withConnections(c -> c.withMax(1)));
                EchoClient first = EchoClient.connect(server.echoAddress());
                EchoClient second = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            assertThat(second.serverClosed()).isTrue();
            // The client sees the close before the event loop has counted it (the count follows the close).
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    value("ricochet_connections_closed_total{protocol=\"echo\",reason=\"limit\"}") == 1);
            assertThat(value("ricochet_connections_max")).isEqualTo(1);
            first.send("^a");
            assertThat(first.readAscii(1)).isEqualTo("b");
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closesIdleConnectionsAndCountsThem(ServerUnderTest under) throws Exception {
        try (Engine server = start(under, ServerConfig.loopback(TransportKind.AUTO)
                .withConnections(c -> c.withIdleTimeout(Duration.ofMillis(200))));
                EchoClient idle = EchoClient.connect(server.echoAddress())) {
            assertThat(idle.serverClosed()).isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> value("ricochet_connections_closed_total{protocol=\"echo\",reason=\"idle\"}") == 1);
        }
    }

    @ParameterizedTest
    @MethodSource("concurrentEngines")
    void countsConnectionsCutByTheEndOfTheGraceAsShutdownAndFinishedOnesAsDrained(ServerUnderTest under) throws Exception {
        Engine server = start(under, ServerConfig.loopback(TransportKind.AUTO));
        try (EchoClient midFrame = EchoClient.connect(server.echoAddress());
                EchoClient betweenFrames = EchoClient.connect(server.echoAddress())) {
            midFrame.send("^a");
            assertThat(midFrame.readAscii(1)).isEqualTo("b");
            server.shutdown(Duration.ofMillis(300));
            assertThat(value("ricochet_connections_closed_total{protocol=\"echo\",reason=\"shutdown\"}")).isEqualTo(1);
            assertThat(value("ricochet_connections_closed_total{protocol=\"echo\",reason=\"drained\"}")).isEqualTo(1);
        }
    }

    @Test
    void countsAConnectionWhoseOwedRepliesNeverLeftAsShutdownNotDrained() throws Exception {
        NettyEngine server = start(ServerConfig.loopback(TransportKind.AUTO));
        try (Socket neverReads = new Socket()) {
            neverReads.setReceiveBufferSize(4096);
            neverReads.connect(server.primeAddress());
            // A million requests whose replies (6 MB) overflow every buffer between us: the
            // server answers until its output backs up and then stops reading.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    neverReads.getOutputStream().write("7\n".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closedAtTheGrace) {
                    // expected
                }
            });
            // Stuck for good: the kernel takes no more of its replies, and reading has stopped.
            await().atMost(Duration.ofSeconds(20)).until(() -> server.stats().pendingOutboundBytes() >= 64 * 1024
                    && server.stats().pausedConnections() == 1);
            server.shutdown(Duration.ofMillis(500));
            writer.join(Duration.ofSeconds(20));
            assertThat(value("ricochet_connections_closed_total{protocol=\"prime\",reason=\"shutdown\"}")).isEqualTo(1);
            assertThat(value("ricochet_connections_closed_total{protocol=\"prime\",reason=\"drained\"}")).isZero();
        }
    }

    @Test
    void countsPrimeRepliesByResultAndTimesTheComputations() throws Exception {
        try (NettyEngine server = start(ServerConfig.loopback(TransportKind.AUTO)
                .withPrime(p -> p.withMethod(PrimeMethod.TRIAL_DIVISION).withOffloadQueue(10).withCacheSize(0)));
                LineClient client = new LineClient(server.primeAddress())) {
            client.send("7\n8\nx\n999999999989\n");
            for (int i = 0; i < 4; i++) {
                client.readLine();
            }
            assertThat(value("ricochet_prime_requests_total{result=\"prime\"}")).isEqualTo(2);
            assertThat(value("ricochet_prime_requests_total{result=\"composite\"}")).isEqualTo(1);
            assertThat(value("ricochet_prime_requests_total{result=\"error\"}")).isEqualTo(1);
            assertThat(value("ricochet_prime_requests_total{result=\"busy\"}")).isZero();
            assertThat(value("ricochet_prime_compute_seconds_count")).isEqualTo(3);
            // 7 and 8 are settled on the event loop; only the 12-digit prime waits for a worker.
            assertThat(value("ricochet_prime_queue_wait_seconds_count")).isEqualTo(1);
            assertThat(value("ricochet_prime_compute_seconds_bucket{le=\"10.0\"}")).isEqualTo(3);
            assertThat(value("ricochet_offload_queue_capacity")).isEqualTo(10);
        }
    }

    /**
     * Each start of the server has an allocator of its own, as each instance here does: the
     * series of one run must be the series of the next, or every restart begins new ones.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void labelsTheAllocatorSeriesAlikeInEveryServerInstance(boolean pooled) {
        try (ServerMetrics first = ServerMetrics.prometheus(); ServerMetrics second = ServerMetrics.prometheus()) {
            first.bindEngine(ImmediateEventExecutor.INSTANCE, allocator(pooled), 0, () -> 0, 1);
            second.bindEngine(ImmediateEventExecutor.INSTANCE, allocator(pooled), 0, () -> 0, 1);
            assertThat(allocatorSeries(first)).isNotEmpty().isEqualTo(allocatorSeries(second))
                    .allSatisfy(series -> assertThat(series).doesNotContain("id="));
        }
    }

    @Test
    void keepsTheIdLabelThatNamesAJvmBufferPool() {
        assertThat(metrics.scrape(null)).containsPattern("(?m)^jvm_buffer_memory_used_bytes\\{.*id=\"direct\"");
    }

    private static ByteBufAllocator allocator(boolean pooled) {
        return pooled ? new PooledByteBufAllocator(true) : new AdaptiveByteBufAllocator();
    }

    /** The allocator's series on the page: names and labels, without their values. */
    private static List<String> allocatorSeries(ServerMetrics metrics) {
        return metrics.scrape(null).lines().filter(line -> line.startsWith("netty_allocator_"))
                .map(line -> line.substring(0, line.lastIndexOf(' '))).toList();
    }
}
