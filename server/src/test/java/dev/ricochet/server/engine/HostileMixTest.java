package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.admin.AdminServer;
import dev.ricochet.server.admin.Readiness;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.EchoOracle;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.TestServer;
import dev.ricochet.server.transport.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The short CI version of bench/hostile-mix.sh: well-behaved echo and prime clients, every
 * reply checked against an oracle, while attackers run at once for a few seconds (resets
 * mid-frame, slowloris on every port, slow readers, garbage, oversized and unfinished admin
 * requests, a flood past --max-connections). The well-behaved lose nothing, readiness answers
 * 200 throughout, and once the attackers stop the server holds only the well-behaved
 * connections. (Netty's leak detector runs at PARANOID in tests: a leak fails the build.)
 */
class HostileMixTest {

    private static final int MAX_CONNECTIONS = 300;
    private static final int ECHO_CLIENTS = 16;
    private static final int PRIME_CLIENTS = 4;
    private static final long ATTACK_MILLIS = 5_000;

    private final AtomicBoolean attacking = new AtomicBoolean(true);
    private final AtomicBoolean behaving = new AtomicBoolean(true);
    private final AtomicLong exchanges = new AtomicLong();
    private final AtomicLong attacks = new AtomicLong();
    private final ConcurrentLinkedQueue<String> readinessFailures = new ConcurrentLinkedQueue<>();
    private final AtomicLong readinessProbes = new AtomicLong();

    @Test
    void wellBehavedClientsLoseNothingWhileOthersAttack() throws Exception {
        ServerConfig config = ServerConfig.loopback(TransportKind.AUTO).withConnections(c -> c.withMax(MAX_CONNECTIONS));
        Readiness readiness = new Readiness();
        try (NettyEngine server = TestServer.start(config);
                AdminServer admin = AdminServer.start(config.admin().bind(), 0, ServerMetrics.disabled(), readiness);
                // Platform threads: attackers in tight loops on loopback never block, and virtual
                // threads are not preempted, so they would starve the clients and the probe.
                ExecutorService threads = Executors.newCachedThreadPool()) {
            readiness.ready();
            InetSocketAddress echo = server.echoAddress();
            InetSocketAddress prime = server.primeAddress();
            InetSocketAddress adminAddress = admin.address();

            List<Future<?>> wellBehaved = new ArrayList<>();
            for (int i = 0; i < ECHO_CLIENTS; i++) {
                long seed = i;
                wellBehaved.add(threads.submit(() -> echoClient(echo, new Random(seed))));
            }
            for (int i = 0; i < PRIME_CLIENTS; i++) {
                long seed = 100 + i;
                wellBehaved.add(threads.submit(() -> primeClient(prime, new Random(seed))));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().openConnections() == ECHO_CLIENTS + PRIME_CLIENTS);

            List<Future<?>> attackers = new ArrayList<>(List.of(
                    threads.submit(() -> resetMidFrame(echo, prime)),
                    threads.submit(() -> slowloris(echo, "^abcdefghij")),
                    threads.submit(() -> slowloris(prime, "123456789")),
                    threads.submit(() -> slowloris(adminAddress, "GET /health/ready HTTP/1.1\r\nHost: x\r\n")),
                    threads.submit(() -> slowReaders(echo)),
                    threads.submit(() -> garbage(echo, prime)),
                    threads.submit(() -> adminAbuse(adminAddress)),
                    threads.submit(() -> flood(echo)),
                    threads.submit(() -> probeReadiness(adminAddress))));
            Thread.sleep(ATTACK_MILLIS);
            attacking.set(false);
            for (Future<?> attacker : attackers) {
                attacker.get(60, TimeUnit.SECONDS);
            }

            // The well-behaved are still connected and served; nothing the attackers opened is left.
            long before = exchanges.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> exchanges.get() > before + 100);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> server.stats().openConnections() == ECHO_CLIENTS + PRIME_CLIENTS);
            behaving.set(false);
            for (Future<?> client : wellBehaved) {
                client.get(60, TimeUnit.SECONDS); // a mismatch or an I/O error fails here
            }
            assertThat(attacks.get()).isGreaterThan(100);
            assertThat(readinessProbes.get()).isGreaterThan(5);
            assertThat(readinessFailures).isEmpty();
        }
    }

    // --- well-behaved clients: every reply checked

    private Void echoClient(InetSocketAddress server, Random random) throws IOException {
        try (EchoClient client = EchoClient.connect(server)) {
            while (behaving.get()) {
                byte[] frame = new byte[2 + random.nextInt(200)];
                frame[0] = '^';
                for (int i = 1; i < frame.length - 1; i++) {
                    int b = random.nextInt(256);
                    frame[i] = (byte) (b == '$' ? 'x' : b); // one frame, answered whole
                }
                frame[frame.length - 1] = '$';
                byte[] expected = EchoOracle.expectedReplies(frame);
                client.send(frame);
                assertThat(client.read(expected.length)).isEqualTo(expected);
                exchanges.incrementAndGet();
            }
        }
        return null;
    }

    private Void primeClient(InetSocketAddress server, Random random) throws IOException {
        try (LineClient client = new LineClient(server)) {
            while (behaving.get()) {
                long n = random.nextLong(1, 1_000_000_000L);
                client.send(n + "\n");
                assertThat(client.readLine()).isEqualTo(BigInteger.valueOf(n).isProbablePrime(64) ? "prime" : "composite");
                exchanges.incrementAndGet();
            }
        }
        return null;
    }

    // --- attackers: each stops when attacking turns false

    private Void resetMidFrame(InetSocketAddress echo, InetSocketAddress prime) {
        for (int i = 0; attacking.get(); i++) {
            try {
                Socket socket = connect(i % 2 == 0 ? echo : prime);
                socket.getOutputStream().write((i % 2 == 0 ? "^abc" : "12345").getBytes(StandardCharsets.US_ASCII));
                socket.setSoLinger(true, 0);
                socket.close();
                attacks.incrementAndGet();
            } catch (IOException refusedWhenFull) {
                // the limit is full: closed on accept, as it should be
            }
        }
        return null;
    }

    private Void slowloris(InetSocketAddress server, String request) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                sockets.add(connect(server));
            }
            for (int at = 0; attacking.get(); at = (at + 1) % request.length()) {
                for (Socket socket : sockets) {
                    try {
                        socket.getOutputStream().write(request.charAt(at));
                        attacks.incrementAndGet();
                    } catch (IOException closedByServer) {
                        // an admin request that took too long, or a replaced connection
                    }
                }
                Thread.sleep(200);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        return null;
    }

    private Void slowReaders(InetSocketAddress echo) throws Exception {
        List<SocketChannel> readers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SocketChannel reader = SocketChannel.open();
                reader.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                reader.connect(echo);
                reader.configureBlocking(false);
                readers.add(reader);
            }
            ByteBuffer frame = ByteBuffer.allocate(64 * 1024);
            frame.put((byte) '^');
            while (attacking.get()) {
                for (SocketChannel reader : readers) {
                    try {
                        if (reader.write(frame.clear()) > 0) {
                            attacks.incrementAndGet();
                        }
                    } catch (IOException closed) {
                        // nothing to do
                    }
                }
                Thread.sleep(20);
            }
        } finally {
            for (SocketChannel reader : readers) {
                reader.setOption(StandardSocketOptions.SO_LINGER, 0);
                reader.close();
            }
        }
        return null;
    }

    private Void garbage(InetSocketAddress echo, InetSocketAddress prime) {
        Random random = new Random(7);
        byte[][] kinds = {
                new byte[4096],
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                {0x16, 0x03, 0x01, 0x00, (byte) 0xa1, 0x01, 0x00, 0x00, (byte) 0x9d, 0x03, 0x03},
                new byte[1 << 20],
                ("9".repeat(10_000) + "\n").getBytes(StandardCharsets.US_ASCII)};
        for (int i = 0; attacking.get(); i++) {
            random.nextBytes(kinds[0]);
            try (Socket socket = connect(i % 2 == 0 ? echo : prime)) {
                socket.getOutputStream().write(kinds[i % kinds.length]);
                attacks.incrementAndGet();
            } catch (IOException closedOrFull) {
                // a long line closes the prime connection; a full server closes on accept
            }
        }
        return null;
    }

    private Void adminAbuse(InetSocketAddress admin) throws Exception {
        List<Socket> unfinished = new ArrayList<>();
        try {
            for (int i = 0; attacking.get(); i++) {
                try {
                    Socket socket = connect(admin);
                    if (i % 2 == 0) {
                        socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nX: " + "a".repeat(100_000) + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        socket.close();
                    } else {
                        socket.getOutputStream().write("GET /hea".getBytes(StandardCharsets.US_ASCII));
                        unfinished.add(socket);
                    }
                    attacks.incrementAndGet();
                } catch (IOException closedByServer) {
                    // 431 and FIN, then reset if we were still writing
                }
                Thread.sleep(20);
            }
        } finally {
            for (Socket socket : unfinished) {
                socket.close();
            }
        }
        return null;
    }

    private Void flood(InetSocketAddress echo) throws Exception {
        while (attacking.get()) {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < MAX_CONNECTIONS + 100 && attacking.get(); i++) {
                try {
                    sockets.add(connect(echo));
                    attacks.incrementAndGet();
                } catch (IOException e) {
                    // the backlog may overflow
                }
            }
            Thread.sleep(500);
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        return null;
    }

    /** /health/ready every 100 ms on a new connection, as a kubelet probes; any answer but 200 is recorded. */
    private Void probeReadiness(InetSocketAddress admin) throws Exception {
        while (attacking.get()) {
            try (Socket socket = connect(admin)) {
                socket.getOutputStream().write("GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                if (!response.startsWith("HTTP/1.1 200 ")) {
                    readinessFailures.add(response.isEmpty() ? "closed without an answer" : response.lines().findFirst().orElseThrow());
                }
            } catch (IOException e) {
                readinessFailures.add(e.toString());
            }
            readinessProbes.incrementAndGet();
            Thread.sleep(100);
        }
        return null;
    }

    private static Socket connect(InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(20_000); // guards against a hang only
        socket.connect(server, 10_000);
        return socket;
    }
}
