package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.ServerUnderTest;
import dev.ricochet.server.testing.TestServer;
import dev.ricochet.server.testing.Transports;
import dev.ricochet.server.transport.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A client that sends without reading must cost the server one buffer, not its memory. */
class BackPressureTest {

    private static final long FIVE_HUNDRED_MB = 500L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    /** One read beyond the high-water mark is the most a connection may have pending. */
    private static final long PENDING_BOUND = NettyEngine.WATER_MARK.high() + 2L * CHUNK;
    private static final long MEMORY_GROWTH_BOUND = 8L * 1024 * 1024;

    static List<TransportKind> transports() {
        return Transports.underTest();
    }

    static List<ServerUnderTest> servers() {
        return ServerUnderTest.all();
    }

    static List<ServerUnderTest> concurrentBlockingServers() {
        return ServerUnderTest.concurrent().stream().filter(server -> !server.engine().eventLoops()).toList();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void holdsAtMostOneBufferForAClientThatSendsFiveHundredMegabytesAndNeverReads(TransportKind transport)
            throws Exception {
        try (NettyEngine server = TestServer.start(transport)) {
            long memoryBefore = server.stats().allocatorUsedBytes();
            EchoClient flooder = EchoClient.connect(server.echoAddress());
            Writer writer = Writer.start(flooder, FIVE_HUNDRED_MB);

            await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().pausedConnections() == 1);
            // While paused the server reads nothing, so the client's sends pile up in the
            // kernel's socket buffers and its writer blocks long before 500 MB.
            EngineStats paused = server.stats();
            System.out.printf("%s: paused after the client sent %d bytes; %s; allocator grew %d bytes%n",
                    transport, writer.sent(), paused, paused.allocatorUsedBytes() - memoryBefore);
            assertThat(paused.pendingOutboundBytes()).isPositive().isLessThanOrEqualTo(PENDING_BOUND);
            assertThat(paused.allocatorUsedBytes() - memoryBefore).isLessThan(MEMORY_GROWTH_BOUND);
            assertThat(writer.isAlive()).isTrue();
            assertThat(writer.sent()).isLessThan(FIVE_HUNDRED_MB / 4);

            try (EchoClient other = EchoClient.connect(server.echoAddress())) {
                other.send("^hello");
                assertThat(other.readAscii(5)).isEqualTo("ifmmp");
            }
            EngineStats after = server.stats();
            assertThat(after.pendingOutboundBytes()).isLessThanOrEqualTo(PENDING_BOUND);
            assertThat(after.allocatorUsedBytes() - memoryBefore).isLessThan(MEMORY_GROWTH_BOUND);

            flooder.reset();
            writer.join();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().openConnections() == 0);
        }
    }

    /**
     * On blocking sockets there is nothing to pause: the server's write blocks, so it stops
     * reading, and the client's own writes block once the kernel's buffers are full.
     */
    @ParameterizedTest
    @MethodSource("concurrentBlockingServers")
    void stopsReadingAClientThatNeverReadsAndServesOthersMeanwhile(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start()) {
            EchoClient flooder = EchoClient.connect(server.echoAddress());
            Writer writer = Writer.start(flooder, FIVE_HUNDRED_MB);
            awaitStalled(writer);
            assertThat(writer.isAlive()).isTrue();
            assertThat(writer.sent()).isLessThan(FIVE_HUNDRED_MB / 4);

            try (EchoClient other = EchoClient.connect(server.echoAddress())) {
                other.send("^hello");
                assertThat(other.readAscii(5)).isEqualTo("ifmmp");
            }
            flooder.reset();
            writer.join();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().openConnections() == 0);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void deliversEveryReplyOnceAPausedClientStartsReading(ServerUnderTest engine) throws Exception {
        long total = 16L * 1024 * 1024;
        try (Engine server = engine.start();
                EchoClient client = EchoClient.connect(server.echoAddress())) {
            Writer writer = Writer.start(client, total);
            if (!engine.engine().eventLoops()) {
                awaitStalled(writer);
            } else {
                await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().pausedConnections() == 1);
            }

            InputStream in = client.socket().getInputStream();
            byte[] buffer = new byte[CHUNK];
            long received = 0;
            while (received < total) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, total - received));
                assertThat(n).as("end of stream after %d of %d bytes", received, total).isPositive();
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != 'b') {
                        throw new AssertionError("byte " + (received + i) + " is " + buffer[i] + ", expected 'b'");
                    }
                }
                received += n;
            }
            writer.join();
            assertThat(writer.failure()).isNull();
            if (engine.engine().eventLoops()) {
                assertThat(server.stats().backPressurePauses()).isPositive();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void closesAClientThatNeverReadsOnceNothingHasMovedForTheIdleTimeout(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start(ServerConfig.loopback(engine.transport())
                .withConnections(c -> c.withIdleTimeout(Duration.ofSeconds(1))))) {
            EchoClient flooder = EchoClient.connect(server.echoAddress());
            Writer writer = Writer.start(flooder, FIVE_HUNDRED_MB);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().openConnections() == 0);
            writer.join();
            assertThat(writer.failure()).as("the server closed it").isNotNull();
            assertThat(writer.sent()).isLessThan(FIVE_HUNDRED_MB / 4);
            flooder.close();
        }
    }

    /** Until the writer has sent nothing more for half a second: the server no longer reads it. */
    private static void awaitStalled(Writer writer) {
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = writer.sent();
            boolean stalled = now == last[0];
            last[0] = now;
            return stalled;
        });
    }

    /** Sends '^' and then {@code total} bytes of 'a' from its own thread, never reading. */
    private static final class Writer extends Thread {
        private final EchoClient client;
        private final long total;
        private final AtomicLong sent = new AtomicLong();
        private volatile IOException failure;

        private Writer(EchoClient client, long total) {
            super("flooding-client");
            this.client = client;
            this.total = total;
            setDaemon(true);
        }

        static Writer start(EchoClient client, long total) {
            Writer writer = new Writer(client, total);
            writer.start();
            return writer;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[CHUNK];
            Arrays.fill(chunk, (byte) 'a');
            try {
                client.send("^");
                while (sent.get() < total) {
                    int n = (int) Math.min(chunk.length, total - sent.get());
                    client.socket().getOutputStream().write(chunk, 0, n);
                    sent.addAndGet(n);
                }
            } catch (IOException e) {
                failure = e; // expected once the test resets the connection
            }
        }

        long sent() {
            return sent.get();
        }

        IOException failure() {
            return failure;
        }
    }
}
