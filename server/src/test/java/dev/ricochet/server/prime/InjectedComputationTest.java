package dev.ricochet.server.prime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.TestGuards;
import dev.ricochet.server.transport.Transport;
import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.server.transport.TransportSelector;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers whose computation is injected through the service's test-only constructor (one that
 * throws, one that holds until the test lets it finish), behind a real listener on loopback.
 */
class InjectedComputationTest {

    /** Primes above 2048^2, so that the event loop cannot settle them and they go to a worker. */
    private static final long THROWS_EXCEPTION = 1_000_000_007L;
    private static final long THROWS_ERROR = 999_999_937L;
    private static final long FINE = 1_000_000_009L;
    /** A prime the event loop cannot settle; the fairness test holds every number above it. */
    private static final long LIGHT = 1_000_000_021L;

    private final OffloadPool pool = new OffloadPool(2, 1000);
    private final Transport transport;
    private final EventLoopGroup group;

    InjectedComputationTest() throws Exception {
        transport = TransportSelector.select(TransportKind.AUTO);
        group = transport.newEventLoopGroup(1, "injected-computation-test");
    }
    private Channel listener;

    private InetSocketAddress start(LongPredicate computation) throws InterruptedException {
        PrimeService service = new PrimeService(PrimeMethod.TRIAL_DIVISION, computation, 0, pool,
                ServerMetrics.disabled().primeService());
        listener = new ServerBootstrap().group(group).channelFactory(transport.serverChannels())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new PrimeChannelInitializer(TestGuards.unlimited(), service, Duration.ofMillis(20)))
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        return (InetSocketAddress) listener.localAddress();
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        pool.shutdownNow();
    }

    private static boolean failOn(long n) {
        if (n == THROWS_EXCEPTION) {
            throw new IllegalStateException("injected failure");
        }
        if (n == THROWS_ERROR) {
            throw new AssertionError("injected error");
        }
        return PrimeMethod.TRIAL_DIVISION.isPrime(n);
    }

    @Test
    void answersAFailedComputationWithAnInternalErrorInItsPlace() throws Exception {
        try (LineClient client = new LineClient(start(InjectedComputationTest::failOn))) {
            client.send(FINE + "\n" + THROWS_EXCEPTION + "\n" + FINE + "\n" + THROWS_ERROR + "\n4\n" + FINE + "\n");
            assertThat(client.readLine()).isEqualTo("prime");
            assertThat(client.readLine()).isEqualTo("error: internal error");
            assertThat(client.readLine()).isEqualTo("prime");
            assertThat(client.readLine()).isEqualTo("error: internal error");
            assertThat(client.readLine()).isEqualTo("composite");
            assertThat(client.readLine()).isEqualTo("prime");
        }
    }

    @Test
    void keepsEveryWorkerAfterComputationsFail() throws Exception {
        InetSocketAddress server = start(InjectedComputationTest::failOn);
        try (LineClient client = new LineClient(server)) {
            client.send((THROWS_ERROR + "\n" + THROWS_EXCEPTION + "\n").repeat(50));
            for (int i = 0; i < 100; i++) {
                assertThat(client.readLine()).isEqualTo("error: internal error");
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.running() == 0);
        assertThat(pool.liveThreads()).isEqualTo(2);
        assertThat(pool.waiting()).isZero();
        // And both workers still compute side by side: two connections, answered.
        try (LineClient a = new LineClient(server); LineClient b = new LineClient(server)) {
            a.send(FINE + "\n");
            b.send(FINE + "\n");
            assertThat(a.readLine()).isEqualTo("prime");
            assertThat(b.readLine()).isEqualTo("prime");
        }
    }

    @Test
    void givesTheNextFreeWorkerToALightRequestRatherThanToAnotherClientsQueue() throws Exception {
        Semaphore heavyMayFinish = new Semaphore(0);
        LongPredicate computation = n -> {
            if (n > LIGHT) {
                heavyMayFinish.acquireUninterruptibly();
            }
            return PrimeMethod.TRIAL_DIVISION.isPrime(n);
        };
        InetSocketAddress server = start(computation);
        try (LineClient heavy = new LineClient(server); LineClient light = new LineClient(server)) {
            StringBuilder queue = new StringBuilder();
            BigInteger n = BigInteger.valueOf(LIGHT);
            for (int i = 0; i < 20; i++) {
                n = n.nextProbablePrime(); // above LIGHT: each held until released
                queue.append(n).append('\n');
            }
            heavy.send(queue.toString());
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.running() == 2 && pool.waiting() > 0);

            light.send(LIGHT + "\n");
            // Queued behind the heavy client's two waiting requests, first come first served.
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.waiting() == 3);
            heavyMayFinish.release(); // one worker becomes free: it must take the light request
            light.socket().setSoTimeout(10_000);
            assertThat(light.readLine()).isEqualTo("prime");
            assertThat(heavyMayFinish.availablePermits()).as("no other heavy request was let finish").isZero();
        } finally {
            heavyMayFinish.release(1000);
        }
    }
}
