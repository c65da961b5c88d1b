package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.ServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The heap a server needs at its connection limit, whatever its clients do: the limit filled
 * with the most expensive clients the protocols allow (they pipeline as much as they can and
 * never read), on the heap docs/operations.md gives for that many connections ("Sizing a
 * pod"). The server runs with {@code -XX:+ExitOnOutOfMemoryError}: a heap too small ends it,
 * and the well-behaved client that comes last is not served.
 */
class WorstCaseMemoryTest {

    private static final int CONNECTIONS = 1000;
    private static final int CACHE_ENTRIES = 1000;

    /**
     * docs/operations.md, "Sizing a pod": 32 MiB, plus 4 KiB per connection on netty and 16
     * KiB on the blocking engines, plus about 100 bytes per prime cache entry (turned down
     * here from its default 100,000, about 10 MiB).
     */
    private static int documentedHeapMiB(EngineKind engine) {
        int perConnectionKiB = engine == EngineKind.NETTY ? 4 : 16;
        return 32 + (CONNECTIONS * perConnectionKiB + CACHE_ENTRIES / 10) / 1024 + 1;
    }

    private static final int TRICKLE_ROUNDS = 400;

    /**
     * Every engine that serves clients side by side (the sequential one serves one client at
     * a time: while a client that never reads holds it, nobody else is served, by design).
     */
    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void staysUpOnTheDocumentedHeapWithItsConnectionLimitFilledByClientsThatNeverRead(EngineKind engine)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("--engine", engine.cliName(),
                "--max-connections", Integer.toString(CONNECTIONS), "--prime-cache-size", Integer.toString(CACHE_ENTRIES),
                "--shutdown-delay", "0s", "--shutdown-grace", "1s"));
        if (engine == EngineKind.THREAD_POOL) {
            args.addAll(List.of("--threads", Integer.toString(CONNECTIONS))); // or the pool, not the heap, is the limit
        }
        List<SocketChannel> attackers = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(
                List.of("-Xmx" + documentedHeapMiB(engine) + "m", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxDirectMemorySize=512m"),
                args, Map.of())) {
            InetSocketAddress echo = server.port(ServerProcess.ECHO);
            InetSocketAddress prime = server.port(ServerProcess.PRIME);
            // Two places left: for the well-behaved client's echo and prime connections.
            for (int i = 0; i < CONNECTIONS - 2; i++) {
                attackers.add(connectWithSmallWindow(i % 2 == 0 ? echo : prime));
            }
            // Heavy requests only where a worker pool bounds the CPU they take: on a blocking
            // engine each would take a thread of its own (and a virtual thread a carrier)
            // for seconds, a CPU limit of those models rather than a memory one.
            byte[] pipeline = engine == EngineKind.NETTY ? heavyAmongLightRequests() : lightRequests();
            for (int i = 0; i < attackers.size(); i++) {
                if (i % 2 == 0) {
                    fillWithFrameBytes(attackers.get(i));
                } else {
                    fillWithRequests(attackers.get(i), pipeline);
                }
            }
            trickleSingleSegments(attackers);
            assertThat(server.isAlive()).as("alive under attack; %s", server.output()).isTrue();

            try (EchoClient client = EchoClient.connect(echo)) {
                client.send("^abc$");
                assertThat(client.readAscii(3)).isEqualTo("bcd");
            }
            try (LineClient client = new LineClient(prime)) {
                client.send("97\n4\n");
                assertThat(client.readLine()).isEqualTo("prime");
                assertThat(client.readLine()).isEqualTo("composite");
            }
            assertThat(stillConnected(attackers)).as("the attackers were held, not closed")
                    .isGreaterThan(attackers.size() * 9 / 10);
            assertThat(server.output()).doesNotContain("OutOfMemoryError");
        } finally {
            for (SocketChannel attacker : attackers) {
                attacker.close();
            }
        }
    }

    private static SocketChannel connectWithSmallWindow(InetSocketAddress server) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(server);
        channel.configureBlocking(false);
        return channel;
    }

    /** One frame that never ends, until the kernel takes no more (the server stopped reading it). */
    private static void fillWithFrameBytes(SocketChannel attacker) throws IOException {
        byte[] frame = new byte[64 * 1024];
        Arrays.fill(frame, (byte) 'a');
        frame[0] = '^';
        ByteBuffer bytes = ByteBuffer.wrap(frame);
        for (int i = 0; i < 256 && attacker.write(bytes.clear()) > 0; i++) {
            // again
        }
    }

    /**
     * Requests that take the workers long (17-digit numbers without a factor below 2048, which
     * the event loop cannot settle: many primes, seconds of trial division) among many that
     * are answered at once but must wait for them, as replies leave in order.
     */
    private static byte[] heavyAmongLightRequests() {
        Random random = new Random(23);
        StringBuilder pipeline = new StringBuilder();
        while (pipeline.length() < 64 * 1024) {
            long n = 10_000_000_000_000_001L + 2 * random.nextLong(1L << 40);
            if (!hasFactorBelow(n, 2048)) {
                pipeline.append(n).append('\n').append("4\n".repeat(15));
            }
        }
        return pipeline.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Requests answered at once, as many as fit in a read. */
    private static byte[] lightRequests() {
        return "4\n7\n".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean hasFactorBelow(long n, long bound) {
        for (long d = 3; d < bound; d += 2) {
            if (n % d == 0) {
                return true;
            }
        }
        return false;
    }

    /** Writes the pipeline until the kernel takes no more (the server stopped reading it). */
    private static void fillWithRequests(SocketChannel attacker, byte[] pipeline) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(pipeline);
        while (bytes.hasRemaining() && attacker.write(bytes) > 0) {
            // again
        }
    }

    /**
     * One byte at a time on every attacker, each its own segment and so, for a server whose
     * outbound buffer still has room, its own read and its own reply buffer.
     */
    private static void trickleSingleSegments(List<SocketChannel> attackers) throws Exception {
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int round = 0; round < TRICKLE_ROUNDS; round++) {
            for (int i = 0; i < attackers.size(); i++) {
                one.clear().put(0, (byte) (i % 2 == 0 ? 'b' : '\n'));
                try {
                    attackers.get(i).write(one);
                } catch (IOException closedByServer) {
                    // counted at the end
                }
            }
            Thread.sleep(2);
        }
    }

    private static int stillConnected(List<SocketChannel> attackers) {
        int connected = 0;
        ByteBuffer none = ByteBuffer.allocate(0);
        for (SocketChannel attacker : attackers) {
            try {
                attacker.write(none);
                ByteBuffer probe = ByteBuffer.allocate(1);
                if (attacker.read(probe) >= 0) {
                    connected++;
                }
            } catch (IOException closed) {
                // reset by the server
            }
        }
        return connected;
    }
}
