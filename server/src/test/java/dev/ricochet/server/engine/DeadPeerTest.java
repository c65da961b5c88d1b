package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.KernelSockets;
import dev.ricochet.server.testing.TestServer;
import dev.ricochet.server.testing.Transports;
import dev.ricochet.server.transport.TransportKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A peer that vanishes without FIN or RST, and a peer that is slow but alive. */
class DeadPeerTest {

    static List<TransportKind> transports() {
        return Transports.underTest();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void armsTheKernelsKeepaliveTimerOnEveryAcceptedConnection(TransportKind transport) throws Exception {
        try (NettyEngine server = TestServer.start(ServerConfig.loopback(transport)
                .withConnections(c -> c.withTcpKeepalive(Duration.ofSeconds(45))));
                EchoClient client = EchoClient.connect(server.echoAddress())) {
            int serverPort = server.echoAddress().getPort();
            int clientPort = client.socket().getLocalPort();
            KernelSockets.Timer timer = KernelSockets.timer(serverPort, clientPort).orElseThrow();
            assertThat(timer.kind()).isEqualTo(KernelSockets.TIMER_KEEPALIVE);
            assertThat(timer.secondsToFire()).isBetween(30.0, 45.0);
        }
    }

    @Test
    void armsNoKeepaliveTimerWhenItIsOff() throws Exception {
        try (NettyEngine server = TestServer.start(ServerConfig.loopback(TransportKind.AUTO)
                .withConnections(c -> c.withTcpKeepalive(Duration.ZERO)));
                EchoClient client = EchoClient.connect(server.echoAddress())) {
            KernelSockets.Timer timer = KernelSockets.timer(server.echoAddress().getPort(),
                    client.socket().getLocalPort()).orElseThrow();
            assertThat(timer.kind()).isNotEqualTo(KernelSockets.TIMER_KEEPALIVE);
        }
    }

    @Test
    void closesAReaderThatStoppedTakingRepliesAfterTheIdleTimeout() throws Exception {
        try (NettyEngine server = TestServer.start(ServerConfig.loopback(TransportKind.EPOLL)
                .withConnections(c -> c.withIdleTimeout(Duration.ofSeconds(1))));
                EchoClient stopped = EchoClient.connectWithSmallReceiveBuffer(server.echoAddress(), 4096)) {
            sendInBackground(stopped, bigFrame());
            assertThat(stopped.read(1024)).hasSize(1024); // then it reads nothing more
            await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().openConnections() == 0);
        }
    }

    /**
     * Epoll (the kernel's TCP_INFO): replies keep leaving long after the server handed them
     * over, so output the server itself no longer holds counts as traffic too.
     */
    @Test
    void keepsASlowReaderThatStillTakesRepliesPastTheIdleTimeout() throws Exception {
        try (NettyEngine server = TestServer.start(ServerConfig.loopback(TransportKind.EPOLL)
                .withConnections(c -> c.withIdleTimeout(Duration.ofSeconds(1))));
                EchoClient slow = EchoClient.connectWithSmallReceiveBuffer(server.echoAddress(), 4096)) {
            // One big frame, then nothing more from the client: only the server's output moves.
            sendInBackground(slow, bigFrame());
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            long received = 0;
            while (System.nanoTime() < deadline) {
                received += slow.read(1024).length; // about 20 KiB/s: a 64 KiB reply leaves in seconds
                Thread.sleep(50);
            }
            assertThat(received).as("still served after four idle timeouts").isGreaterThan(32 * 1024);
            assertThat(server.stats().openConnections()).isEqualTo(1);
        }
    }

    /** The frame is larger than the socket buffers take at once: a thread of its own writes it. */
    private static void sendInBackground(EchoClient client, byte[] bytes) {
        Thread.ofVirtual().start(() -> {
            try {
                client.send(bytes);
            } catch (java.io.IOException closed) {
                // the test ended, or the server closed the connection
            }
        });
    }

    /** A frame of 2 MiB: far more replies than the client's window and the server's water mark hold. */
    private static byte[] bigFrame() {
        byte[] frame = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(frame, (byte) 'a');
        frame[0] = '^';
        return frame;
    }
}
