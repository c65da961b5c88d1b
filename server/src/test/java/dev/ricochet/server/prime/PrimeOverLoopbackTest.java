package dev.ricochet.server.prime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.engine.NettyEngine;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.ServerUnderTest;
import dev.ricochet.server.testing.TestServer;
import dev.ricochet.server.testing.Transports;
import dev.ricochet.server.transport.TransportKind;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The prime service over real loopback sockets, computed on the offload pool. */
class PrimeOverLoopbackTest {

    private static final long MERSENNE_61 = (1L << 61) - 1;        // ~4 s of trial division here
    private static final long LARGEST_63_BIT_PRIME = Long.MAX_VALUE - 24; // ~8 s

    static List<ServerUnderTest> servers() {
        return ServerUnderTest.all();
    }

    static List<ServerUnderTest> engines() {
        return ServerUnderTest.eachEngine();
    }

    /** The test's own oracle, independent of the server's arithmetic. */
    private static String expected(long n) {
        return BigInteger.valueOf(n).isProbablePrime(64) ? "prime" : "composite";
    }

    @ParameterizedTest
    @MethodSource("servers")
    void answersAThousandPipelinedRequestsInOneWriteCompleteAndInOrder(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start(ServerConfig.loopback(engine.transport())
                .withPrime(p -> p.withMethod(PrimeMethod.TRIAL_DIVISION).withCacheSize(0)));
                LineClient client = new LineClient(server.primeAddress())) {
            // Light and heavier (12-digit) numbers mixed, so that later requests often finish
            // before earlier ones on the other worker.
            long[] numbers = new long[1000];
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < numbers.length; i++) {
                numbers[i] = i % 7 == 0 ? 999_999_999_989L - i : i;
                batch.append(numbers[i]).append(i % 2 == 0 ? "\n" : "\r\n");
            }
            client.send(batch.toString());
            for (int i = 0; i < numbers.length; i++) {
                assertThat(client.readLine()).as("reply %d to %d", i, numbers[i]).isEqualTo(expected(numbers[i]));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void answersABareNumberPerSendWithoutANewline(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start();
                LineClient client = new LineClient(server.primeAddress())) {
            for (long n : new long[] {97, 100, 999_999_999_989L, 1}) {
                client.send(Long.toString(n));
                assertThat(client.readLine()).isEqualTo(expected(n));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void answersEachPipelinedNumberOnceWhenASegmentArrivesAfterTheLinger(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start();
                LineClient client = new LineClient(server.primeAddress())) {
            client.send("7\n1000000");
            Thread.sleep(100); // the rest of 1000000007 comes five lingers later
            client.send("007\n13\n");
            client.shutdownOutput();
            assertThat(client.readLine()).isEqualTo("prime");
            assertThat(client.readLine()).isEqualTo(expected(1_000_000_007L));
            assertThat(client.readLine()).isEqualTo("prime");
            assertThat(client.readLine()).as("nothing but three replies").isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void answersBadInputWithAnErrorAndStaysUsable(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start();
                LineClient client = new LineClient(server.primeAddress())) {
            client.send("twelve\n");
            assertThat(client.readLine()).isEqualTo("error: not a decimal number");
            client.send("\n");
            assertThat(client.readLine()).isEqualTo("error: empty request");
            client.send("9223372036854775808\n");
            assertThat(client.readLine()).startsWith("error: number out of range");
            client.send("7\n");
            assertThat(client.readLine()).isEqualTo("prime");
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void closesTheConnectionAfterALineLongerThanSixtyFourBytes(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start();
                LineClient client = new LineClient(server.primeAddress())) {
            client.send("1".repeat(65) + "\n7\n");
            assertThat(client.readLine()).isEqualTo("error: line longer than 64 bytes");
            assertThat(client.readLine()).isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void answersWhatItOwesAndClosesWhenTheClientHalfCloses(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start();
                LineClient client = new LineClient(server.primeAddress())) {
            client.send("999999999989\n15\n13");
            client.shutdownOutput();
            assertThat(client.readLine()).isEqualTo("prime");
            assertThat(client.readLine()).isEqualTo("composite");
            assertThat(client.readLine()).isEqualTo("prime");
            assertThat(client.readLine()).isNull();
        }
    }

    @Test
    void answersBusyAtOnceWhenTheQueueIsFullAndFreesWorkersWhenClientsAbort() throws Exception {
        try (NettyEngine server = TestServer.start(ServerConfig.loopback(TransportKind.AUTO).withPrime(p -> p
                .withMethod(PrimeMethod.TRIAL_DIVISION).withOffloadThreads(1).withOffloadQueue(1).withCacheSize(0)))) {
            LineClient heavy = new LineClient(server.primeAddress());
            // The first occupies the only worker, the second the only queue place.
            heavy.send(LARGEST_63_BIT_PRIME + "\n" + LARGEST_63_BIT_PRIME + "\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().offloadWaiting() == 1);

            try (LineClient light = new LineClient(server.primeAddress())) {
                light.send("999999999989\n");
                assertThat(light.readLine()).isEqualTo("error: busy");
                // A number settled by its first divisions never needs a worker, so it is
                // answered even now.
                light.send("7\n1000001\n");
                assertThat(light.readLine()).isEqualTo("prime");
                assertThat(light.readLine()).isEqualTo("composite");

                // Aborting cancels both computations: the worker is free and the queue empty
                // long before the ~16 s they would have taken. (A plain close would look like
                // a half-close, which is answered in full.)
                heavy.reset();
                await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().offloadWaiting() == 0);
                light.socket().setSoTimeout(5_000);
                light.send("999999999989\n");
                assertThat(light.readLine()).isEqualTo("prime");
            }
        }
    }

    @Test
    void keepsServingEchoAndLightPrimesWhileOneClientRunsAHeavyTrialDivision() throws Exception {
        try (NettyEngine server = TestServer.start(ServerConfig.loopback(TransportKind.AUTO)
                .withPrime(p -> p.withMethod(PrimeMethod.TRIAL_DIVISION).withCacheSize(0)));
                LineClient heavy = new LineClient(server.primeAddress())) {
            heavy.send(MERSENNE_61 + "\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().offloadRunning() == 1);

            try (EchoClient echo = EchoClient.connect(server.echoAddress());
                    LineClient light = new LineClient(server.primeAddress())) {
                echo.send("^abc");
                assertThat(echo.readAscii(3)).isEqualTo("bcd");
                for (long n : new long[] {97, 1_000_003, 999_999_999_989L}) {
                    light.send(n + "\n");
                    assertThat(light.readLine()).isEqualTo(expected(n));
                }
            }
            assertThat(heavy.hasReplyWaiting()).as("the heavy request finished before the light ones").isFalse();
        }
    }

    @Test
    void computesOnTheEventLoopWhenOffloadIsOff() throws Exception {
        try (NettyEngine server = TestServer.start(ServerConfig.loopback(TransportKind.AUTO).withPrime(p -> p
                .withMethod(PrimeMethod.MILLER_RABIN).withOffloadThreads(0).withOffloadQueue(1).withCacheSize(0)));
                LineClient client = new LineClient(server.primeAddress())) {
            client.send(MERSENNE_61 + "\n" + Long.MAX_VALUE + "\n");
            assertThat(client.readLine()).isEqualTo("prime");
            assertThat(client.readLine()).isEqualTo("composite");
        }
    }
}
