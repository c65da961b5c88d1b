package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.ReferenceCase;
import dev.ricochet.server.testing.ServerUnderTest;
import dev.ricochet.server.transport.TransportKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The echo protocol over real loopback sockets, on every engine and every transport this machine has. */
class EchoOverLoopbackTest {

    static List<ServerUnderTest> servers() {
        return ServerUnderTest.all();
    }

    static List<ServerUnderTest> concurrentServers() {
        return ServerUnderTest.concurrent();
    }

    @ParameterizedTest
    @MethodSource("servers")
    void greetsEachConnectionWithAnAsterisk(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start();
                EchoClient client = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            assertThat(client.readAscii(1)).isEqualTo("*");
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void ignoresBytesSentBeforeAFrameOpens(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start();
                EchoClient client = EchoClient.connect(server.echoAddress())) {
            client.send("hello, is anyone there?$$").send("^a");
            assertThat(client.readAscii(1)).isEqualTo("b");
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void answersInFrameBytesBeforeTheFrameEnds(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start();
                EchoClient client = EchoClient.connect(server.echoAddress())) {
            client.send("^f");
            assertThat(client.readAscii(1)).isEqualTo("g");
            client.send("$^z");
            assertThat(client.readAscii(1)).isEqualTo("{");
        }
    }

    @ParameterizedTest
    @MethodSource("concurrentServers")
    void answersTheReferenceCasesToTwoHundredConcurrentClients(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start();
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sessions = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sessions.add(clients.submit(() -> {
                    try (EchoClient client = EchoClient.connect(server.echoAddress())) {
                        client.playsEveryReferenceCase();
                        client.shutdownOutput();
                        assertThat(client.readToEnd()).isEmpty();
                    }
                    return null;
                }));
            }
            for (Future<?> session : sessions) {
                session.get();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().openConnections() == 0);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void sendsWhatItOwesAndClosesWhenTheClientHalfCloses(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start();
                EchoClient client = EchoClient.connect(server.echoAddress())) {
            client.send("^abc");
            client.shutdownOutput();
            assertThat(new String(client.readToEnd(), "ISO-8859-1")).isEqualTo("bcd");
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void keepsServingOthersAfterAPeerResetsMidFrame(ServerUnderTest engine) throws Exception {
        try (Engine server = engine.start()) {
            EchoClient rude = EchoClient.connect(server.echoAddress());
            rude.send("^abc");
            assertThat(rude.readAscii(3)).isEqualTo("bcd");
            rude.send("^more bytes that will never be read");
            rude.reset();

            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().openConnections() == 0);
            try (EchoClient polite = EchoClient.connect(server.echoAddress())) {
                polite.send("^ok");
                assertThat(polite.readAscii(2)).isEqualTo("pl");
            }
        }
    }

    @Test
    void sequentialServesASecondClientOnlyOnceTheFirstHasLeft() throws Exception {
        try (Engine server = new ServerUnderTest(EngineKind.SEQUENTIAL, TransportKind.AUTO).start();
                EchoClient first = EchoClient.connect(server.echoAddress());
                EchoClient second = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            second.send("^b");
            first.send("^a");
            assertThat(first.readAscii(1)).isEqualTo("b");
            assertThat(second.socket().getInputStream().available()).as("no greeting while the first is served").isZero();
            first.shutdownOutput();
            assertThat(first.readToEnd()).isEmpty();
            assertThat(second.readAscii(2)).isEqualTo("*c");
        }
    }
}
