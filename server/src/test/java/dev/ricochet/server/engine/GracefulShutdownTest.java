package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.TestServer;
import dev.ricochet.server.transport.TransportKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

    @Test
    void stopsAcceptingButServesOpenConnectionsUntilTheyFinish() throws Exception {
        NettyEngine server = TestServer.start(ServerConfig.loopback(TransportKind.AUTO).withShutdownGrace(Duration.ofMinutes(5)));
        InetSocketAddress address = server.echoAddress();
        EchoClient client = EchoClient.connect(address);

        CompletableFuture<Void> shutdown = inOwnThread(() -> server.shutdown(Duration.ofMinutes(5)));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> EchoClient.connectWithoutGreeting(address).close()).isInstanceOf(IOException.class));
        client.send("^still here");
        assertThat(client.readAscii(10)).isEqualTo("tujmm!ifsf");
        assertThat(shutdown).isNotDone();

        client.close();
        shutdown.get();
        assertThat(server.stats().openConnections()).isZero();
    }

    @Test
    void closesConnectionsStillOpenWhenTheGraceIsOver() throws Exception {
        NettyEngine server = TestServer.start(TransportKind.AUTO);
        try (EchoClient idle = EchoClient.connect(server.echoAddress())) {
            server.shutdown(Duration.ofMillis(200));
            assertThat(idle.serverClosed()).isTrue();
        }
    }

    @Test
    void closeAllConnectionsCutsAnOngoingDrainShort() throws Exception {
        NettyEngine server = TestServer.start(TransportKind.AUTO);
        InetSocketAddress address = server.echoAddress();
        try (EchoClient idle = EchoClient.connect(address)) {
            CompletableFuture<Void> shutdown = inOwnThread(() -> server.shutdown(Duration.ofHours(1)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> EchoClient.connectWithoutGreeting(address).close())
                            .isInstanceOf(IOException.class));
            server.closeAllConnections();
            shutdown.get();
            assertThat(idle.serverClosed()).isTrue();
        }
    }

    /** Shutdown blocks; each gets its own thread so that one test's wait never delays another's. */
    private static CompletableFuture<Void> inOwnThread(Runnable shutdown) {
        return CompletableFuture.runAsync(shutdown, task -> new Thread(task, "test-shutdown").start());
    }
}
