package dev.ricochet.server.prime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.EngineSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.engine.blocking.BlockingEngine;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.ServerUnderTest;
import dev.ricochet.server.transport.TransportKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a prime connection ends on the blocking engines, over real loopback sockets: after a
 * line too long (every reply owed, then a FIN, never a reset), and not by the idle timeout
 * while its reply is being computed.
 */
class BlockingPrimeConnectionTest {

    private static final String LINE_TOO_LONG = "error: line longer than 64 bytes";
    private static final int REQUESTS_BEFORE = 100_000;
    /** A prime above 2048^2: no quick answer settles it, so it reaches the computation. */
    private static final long HELD = 1_000_000_007L;

    private final CountDownLatch computing = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    static List<ServerUnderTest> engines() {
        return ServerUnderTest.eachEngine().stream().filter(server -> !server.engine().eventLoops()).toList();
    }

    @AfterEach
    void releaseComputations() {
        release.countDown();
    }

    @ParameterizedTest
    @MethodSource("engines")
    @Timeout(120)
    void deliversEveryReplyOwedBeforeALineTooLongThenEndsWithAFin(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start(); Socket socket = new Socket()) {
            // A small window, so that replies wait in the server's send buffer, where a reset
            // would destroy them.
            socket.setReceiveBufferSize(16 * 1024);
            socket.setSoTimeout(30_000);
            socket.connect(server.primeAddress(), 10_000);
            CompletableFuture<Replies> replies = CompletableFuture.supplyAsync(() -> Replies.readToEnd(socket),
                    task -> new Thread(task, "test-reader").start());

            // Requests, the long line, then more for as long as the server answers: the server
            // must discard them without reading them as requests, and without a reset.
            IOException writeFailure = null;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(("7\n".repeat(REQUESTS_BEFORE) + "x".repeat(100) + "\n").getBytes(StandardCharsets.US_ASCII));
                byte[] more = "5\n".repeat(4096).getBytes(StandardCharsets.US_ASCII);
                for (long sent = 0; !replies.isDone() && sent < 256L << 20; sent += more.length) {
                    out.write(more);
                }
            } catch (IOException e) {
                writeFailure = e;
            }

            Replies got = replies.get(60, TimeUnit.SECONDS);
            assertThat(writeFailure).as("no reset while writing").isNull();
            assertThat(got.failure).as("no reset while reading").isNull();
            assertThat(got.primes).isEqualTo(REQUESTS_BEFORE);
            assertThat(got.others).as("then the error, then the end of the stream").containsExactly(LINE_TOO_LONG);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void countsAConnectionEndedByALineTooLongAsAnErrorClose(ServerUnderTest engine) throws Exception {
        try (ServerMetrics metrics = ServerMetrics.prometheus(engine.engine());
                Engine server = engine.start(ServerConfig.loopback(TransportKind.AUTO), metrics)) {
            try (LineClient client = new LineClient(server.primeAddress())) {
                client.send("x".repeat(65) + "\n7\n");
                assertThat(client.readLine()).isEqualTo(LINE_TOO_LONG);
                assertThat(client.readLine()).isNull();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> closed(metrics, engine, "error") == 1);
            assertThat(closed(metrics, engine, "client")).isZero();
        }
    }

    @Test
    @Timeout(60)
    void freesItsWorkerOnceTheClientAfterALineTooLongFallsSilentWithoutClosing() throws Exception {
        ServerConfig config = ServerConfig.loopback(TransportKind.AUTO)
                .withEngine(new EngineSettings(EngineKind.THREAD_POOL, 1, 1));
        try (Engine server = BlockingEngine.start(config, ServerMetrics.disabled());
                LineClient stays = new LineClient(server.primeAddress())) {
            stays.send("x".repeat(65) + "\n");
            assertThat(stays.readLine()).isEqualTo(LINE_TOO_LONG);
            assertThat(stays.readLine()).as("FIN").isNull();
            // The only worker lingers for a client that keeps its side open and says nothing;
            // the next client waits in the queue until the linger gives up on that silence.
            try (LineClient next = new LineClient(server.primeAddress())) {
                next.send("7\n");
                assertThat(next.readLine()).isEqualTo("prime");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    @Timeout(60)
    void keepsAConnectionWhoseReplyIsBeingComputedPastTheIdleTimeout(ServerUnderTest engine) throws Exception {
        ServerConfig config = ServerConfig.loopback(TransportKind.AUTO)
                .withConnections(c -> c.withIdleTimeout(Duration.ofMillis(200)))
                .withEngine(EngineSettings.of(engine.engine()));
        ServerMetrics metrics = ServerMetrics.disabled();
        PrimeService held = new PrimeService(PrimeMethod.TRIAL_DIVISION, this::heldUntilReleased, 0, null,
                metrics.primeService());
        try (Engine server = BlockingEngine.start(config, metrics, held);
                LineClient client = new LineClient(server.primeAddress())) {
            client.send(HELD + "\n");
            assertThat(computing.await(10, TimeUnit.SECONDS)).isTrue();
            // A witness, accepted after the computation began: once the idle timeout has closed
            // it, the computing connection has been silent longer than that as well.
            try (LineClient witness = new LineClient(server.primeAddress())) {
                assertThat(witness.readLine()).isNull();
            }
            release.countDown();
            assertThat(client.readLine()).isEqualTo("prime");
            assertThat(client.readLine()).as("idle once its reply is written").isNull();
        }
    }

    /** The computation, held for {@link #HELD} until the test releases it. */
    private boolean heldUntilReleased(long n) {
        if (n == HELD) {
            computing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new CancellationException("interrupted"); // as TrialDivision does
            }
        }
        return PrimeMethod.TRIAL_DIVISION.isPrime(n);
    }

    private static double closed(ServerMetrics metrics, ServerUnderTest engine, String reason) {
        String series = "ricochet_connections_closed_total{engine=\"" + engine.engine().cliName()
                + "\",protocol=\"prime\",reason=\"" + reason + "\"}";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics.scrape(null));
        assertThat(m.find()).as("series %s on the page", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** What a client read until the end of the stream or a failure (a reset). */
    private record Replies(int primes, List<String> others, IOException failure) {

        static Replies readToEnd(Socket socket) {
            int primes = 0;
            List<String> others = new ArrayList<>();
            try {
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("prime")) {
                        primes++;
                    } else {
                        others.add(line);
                    }
                }
                return new Replies(primes, others, null);
            } catch (IOException e) {
                return new Replies(primes, others, e);
            }
        }
    }
}
