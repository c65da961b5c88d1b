package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.prime.PrimeMethod;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.ServerUnderTest;
import dev.ricochet.server.transport.TransportKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The drain: every conversation finishes what it owes, then closes; what cannot is cut at the grace. */
class GracefulShutdownTest {

    static List<ServerUnderTest> engines() {
        return ServerUnderTest.eachModel();
    }

    /** A 17-digit prime: about a second of trial division here, long enough to be in flight. */
    private static final long SLOW_PRIME = 100_000_000_000_000_003L;

    @ParameterizedTest
    @MethodSource("engines")
    void finishesAnEchoConnectionAtTheEndOfTheFrameUnderWay(ServerUnderTest engine) throws Exception {
        Engine server = engine.start(ServerConfig.loopback(TransportKind.AUTO));
        InetSocketAddress address = server.echoAddress();
        try (EchoClient client = EchoClient.connect(address)) {
            client.send("^ab");
            assertThat(client.readAscii(2)).isEqualTo("bc");

            CompletableFuture<Void> shutdown = inOwnThread(() -> server.shutdown(Duration.ofMinutes(5)));
            awaitDrain(server, address);
            client.send("still here$");
            assertThat(client.readToEnd()).asString().isEqualTo("tujmm!ifsf");
            assertThat(shutdown).isNotDone(); // the client has not closed its side yet
            client.close();
            shutdown.get();
        }
        assertThat(server.stats().openConnections()).isZero();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void finishesAnEchoConnectionBetweenFramesAtOnce(ServerUnderTest engine) throws Exception {
        Engine server = engine.start(ServerConfig.loopback(TransportKind.AUTO));
        try (EchoClient client = EchoClient.connect(server.echoAddress())) {
            client.send("^ab$");
            assertThat(client.readAscii(2)).isEqualTo("bc");
            CompletableFuture<Void> shutdown = inOwnThread(() -> server.shutdown(Duration.ofMinutes(5)));
            assertThat(client.readToEnd()).isEmpty();
            client.close();
            shutdown.get();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void answersEveryPrimeRequestReadBeforeTheDrainThenCloses(ServerUnderTest engine) throws Exception {
        Engine server = engine.start(ServerConfig.loopback(TransportKind.AUTO)
                .withPrime(p -> p.withMethod(PrimeMethod.TRIAL_DIVISION).withOffloadQueue(100).withCacheSize(0)));
        try (LineClient client = new LineClient(server.primeAddress())) {
            client.send("7\n" + SLOW_PRIME + "\n15\n");
            assertThat(client.readLine()).isEqualTo("prime"); // all three were read

            CompletableFuture<Void> shutdown = inOwnThread(() -> server.shutdown(Duration.ofMinutes(5)));
            awaitDrain(server, server.primeAddress());
            assertThat(client.readLine()).isEqualTo("prime");
            assertThat(client.readLine()).isEqualTo("composite");
            assertThat(client.readLine()).as("end of stream once nothing is owed").isNull();
            client.close();
            shutdown.get();
        }
        assertThat(server.stats().openConnections()).isZero();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closesConnectionsStillMidFrameWhenTheGraceIsOver(ServerUnderTest engine) throws Exception {
        Engine server = engine.start();
        try (EchoClient midFrame = EchoClient.connect(server.echoAddress())) {
            midFrame.send("^a");
            assertThat(midFrame.readAscii(1)).isEqualTo("b");
            server.shutdown(Duration.ofMillis(200));
            assertThat(midFrame.serverClosed()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void holdsAFinishedConnectionForItsClientsCloseUntilTheGraceIsOver(ServerUnderTest engine) throws Exception {
        Engine server = engine.start();
        try (EchoClient lingering = EchoClient.connect(server.echoAddress())) {
            CompletableFuture<Void> shutdown = inOwnThread(() -> server.shutdown(Duration.ofSeconds(2)));
            assertThat(lingering.serverClosed()).as("FIN: nothing is owed").isTrue();
            // The socket stays open for the client's own close, so no reset can cut what is in flight.
            assertThat(server.stats().openConnections()).isEqualTo(1);
            assertThat(shutdown).isNotDone();
            shutdown.get();
            assertThat(server.stats().openConnections()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closeAllConnectionsCutsAnOngoingDrainShort(ServerUnderTest engine) throws Exception {
        Engine server = engine.start();
        InetSocketAddress address = server.echoAddress();
        try (EchoClient midFrame = EchoClient.connect(address)) {
            midFrame.send("^a");
            assertThat(midFrame.readAscii(1)).isEqualTo("b");
            CompletableFuture<Void> shutdown = inOwnThread(() -> server.shutdown(Duration.ofHours(1)));
            awaitDrain(server, address);
            server.closeAllConnections();
            shutdown.get();
            assertThat(midFrame.serverClosed()).isTrue();
        }
    }

    @Test
    @Timeout(30)
    void sequentialStopsWithinTheGraceWhileASecondClientWaitsForItsTurn() throws Exception {
        Engine server = new ServerUnderTest(EngineKind.SEQUENTIAL, TransportKind.AUTO).start();
        try (EchoClient served = EchoClient.connect(server.echoAddress());
                EchoClient waiting = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            served.send("^a");
            assertThat(served.readAscii(1)).isEqualTo("b");
            // The acceptor holds the second client, waiting for the one thread: closing the
            // listeners must not wait for the first client to leave.
            server.shutdown(Duration.ofMillis(300));
            assertThat(waiting.readToEnd()).as("closed, never greeted").isEmpty();
            assertThat(served.serverClosed()).isTrue();
        }
        assertThat(server.stats().openConnections()).isZero();
    }

    /** Until the drain has begun, and the listener no longer accepts. */
    private static void awaitDrain(Engine server, InetSocketAddress listener) {
        await().atMost(Duration.ofSeconds(10)).until(server::isDraining);
        assertThatThrownBy(() -> new java.net.Socket(listener.getAddress(), listener.getPort()).close())
                .isInstanceOf(IOException.class);
    }

    /** Shutdown blocks; each gets its own thread so that one test's wait never delays another's. */
    private static CompletableFuture<Void> inOwnThread(Runnable shutdown) {
        return CompletableFuture.runAsync(shutdown, task -> new Thread(task, "test-shutdown").start());
    }
}
