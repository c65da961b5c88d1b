package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.Http;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The server as an operator runs it: a separate JVM, options, signals and exit codes. */
class ServerProcessTest {


    private final List<ServerProcess> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> p.process().destroyForcibly());
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void drainsOpenConnectionsOnSigtermAndExitsZero(EngineKind engine) throws Exception {
        ServerProcess server = start(Map.of(), "--engine", engine.cliName(), "--shutdown-grace", "5m");
        InetSocketAddress address = server.awaitListening();
        InetSocketAddress admin = server.port(ServerProcess.ADMIN);
        assertThat(Http.get(admin, "/health/ready").statusCode()).isEqualTo(200);
        try (EchoClient client = EchoClient.connect(address)) {
            client.send("^a");
            assertThat(client.readAscii(1)).isEqualTo("b");

            // SIGTERM through the handle: Process.destroy() would also close our end of its pipes.
            server.process().toHandle().destroy();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.stdoutContains("Draining"));
            assertThat(Http.get(admin, "/health/ready").statusCode()).isEqualTo(503);
            assertThat(Http.get(admin, "/health/live").statusCode()).isEqualTo(200);
            client.send("b");
            assertThat(client.readAscii(1)).isEqualTo("c");
            assertThat(server.process().isAlive()).isTrue();
        }
        assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process().exitValue()).isZero();
        assertThat(server.stdoutContains("Stopped")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void cutsTheDrainShortOnASecondSignal(EngineKind engine) throws Exception {
        ServerProcess server = start(Map.of(), "--engine", engine.cliName(), "--shutdown-delay", "0s", "--shutdown-grace", "1h");
        try (EchoClient midFrame = EchoClient.connect(server.awaitListening())) {
            midFrame.send("^a");
            assertThat(midFrame.readAscii(1)).isEqualTo("b");
            server.process().toHandle().destroy();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.stdoutContains("Draining"));
            server.process().toHandle().destroy();
            assertThat(midFrame.serverClosed()).isTrue();
            assertThat(server.awaitExit()).isZero();
            assertThat(server.stdoutContains("Drain cut short: closing 1 connection(s): 1 still owing")).isTrue();
            assertThat(server.stdoutLines()).filteredOn(line -> line.contains("Drain cut short")).hasSize(1);
            assertThat(server.stdoutContains("still running")).isFalse();
        }
    }

    @Test
    void turnsNotReadyFirstAndKeepsAcceptingForTheShutdownDelay() throws Exception {
        ServerProcess server = start(Map.of(), "--shutdown-delay", "1h");
        InetSocketAddress echo = server.awaitListening();
        InetSocketAddress admin = server.port(ServerProcess.ADMIN);
        server.process().toHandle().destroy();
        await().atMost(Duration.ofSeconds(20)).until(() -> server.stdoutContains("Not ready: accepting for"));
        assertThat(Http.get(admin, "/health/ready").statusCode()).isEqualTo(503);
        try (EchoClient late = EchoClient.connect(echo)) {
            late.send("^ok$");
            assertThat(late.readAscii(2)).isEqualTo("pl");
        }
        assertThat(server.stdoutContains("Draining")).isFalse();

        server.process().toHandle().destroy(); // a second signal ends the delay too
        assertThat(server.awaitExit()).isZero();
        assertThat(server.stdoutContains("Stopped")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void echoClientsGetEveryByteTheyAreOwedWhenTheServerDrains(EngineKind engine) throws Exception {
        ServerProcess server = start(Map.of(), "--engine", engine.cliName(), "--shutdown-delay", "0s", "--shutdown-grace", "1m");
        InetSocketAddress echo = server.awaitListening();
        try (EchoClient betweenFrames = EchoClient.connect(echo);
                EchoClient midFrame = EchoClient.connect(echo)) {
            betweenFrames.send("^abc$xyz");
            assertThat(betweenFrames.readAscii(3)).isEqualTo("bcd");
            midFrame.send("^hello, ");
            assertThat(midFrame.readAscii(7)).isEqualTo("ifmmp-!");

            server.process().toHandle().destroy();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.stdoutContains("Draining"));
            assertThat(betweenFrames.readToEnd()).as("nothing owed: closed at once").isEmpty();
            midFrame.send("world$^never answered");
            assertThat(midFrame.readToEnd()).asString().isEqualTo("xpsme");
        }
        assertThat(server.awaitExit()).isZero();
        assertThat(server.stdoutContains("Stopped")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void primeClientsGetEveryReplyTheyAreOwedWhenTheServerDrains(EngineKind engine) throws Exception {
        // 10^17+3 is prime: about a second of trial division here, in flight during the drain.
        ServerProcess server = start(Map.of(), "--engine", engine.cliName(), "--shutdown-delay", "0s", "--shutdown-grace", "1m",
                "--prime-cache-size", "0");
        InetSocketAddress prime = server.port(ServerProcess.PRIME);
        try (LineClient owed = new LineClient(prime); LineClient idle = new LineClient(prime)) {
            owed.send("7\n100000000000000003\n15\n");
            assertThat(owed.readLine()).isEqualTo("prime");

            server.process().toHandle().destroy();
            assertThat(owed.readLine()).isEqualTo("prime");
            assertThat(owed.readLine()).isEqualTo("composite");
            assertThat(owed.readLine()).isNull();
            assertThat(idle.readLine()).isNull();
        }
        assertThat(server.awaitExit()).isZero();
        assertThat(server.stdoutContains("Stopped")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void closesAndCountsWhatIsStillOwedWhenTheGraceIsOver(EngineKind engine) throws Exception {
        ServerProcess server = start(Map.of(), "--engine", engine.cliName(), "--shutdown-delay", "0s", "--shutdown-grace", "500ms");
        try (EchoClient neverEnds = EchoClient.connect(server.awaitListening())) {
            neverEnds.send("^a");
            assertThat(neverEnds.readAscii(1)).isEqualTo("b");
            server.process().toHandle().destroy();
            assertThat(neverEnds.serverClosed()).isTrue();
        }
        assertThat(server.awaitExit()).isZero();
        assertThat(server.stdoutContains(
                "Shutdown grace of PT0.5S is over: closing 1 connection(s): 1 still owing")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void servesBothProtocolsAndLabelsEveryMetricWithItsEngine(EngineKind engine) throws Exception {
        ServerProcess server = start(Map.of(), "--engine", engine.cliName(), "--shutdown-delay", "0s");
        InetSocketAddress admin = server.port(ServerProcess.ADMIN);
        try (EchoClient echo = EchoClient.connect(server.awaitListening())) {
            echo.send("^HAL$");
            assertThat(echo.readAscii(3)).isEqualTo("IBM");
        }
        try (LineClient prime = new LineClient(server.port(ServerProcess.PRIME))) {
            prime.send("97\n");
            assertThat(prime.readLine()).isEqualTo("prime");
        }
        assertThat(Http.get(admin, "/health/ready").statusCode()).isEqualTo(200);
        String label = "engine=\"" + engine.cliName() + "\"";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Http.get(admin, "/metrics").body())
                .contains("ricochet_connections_accepted_total{" + label + ",protocol=\"echo\"} 1.0")
                .contains("ricochet_connections_closed_total{" + label + ",protocol=\"prime\",reason=\"client\"} 1.0")
                .contains("ricochet_prime_requests_total{" + label + ",result=\"prime\"} 1.0"));
        server.process().toHandle().destroy();
        assertThat(server.awaitExit()).isZero();
    }

    @Test
    void threadPoolRefusesAndCountsAConnectionWhenItsWorkersAndQueueAreFull() throws Exception {
        ServerProcess server = start(Map.of(), "--engine", "thread-pool", "--threads", "1", "--pool-queue", "0",
                "--shutdown-delay", "0s");
        InetSocketAddress admin = server.port(ServerProcess.ADMIN);
        try (EchoClient served = EchoClient.connect(server.awaitListening());
                EchoClient refused = EchoClient.connectWithoutGreeting(server.awaitListening())) {
            assertThat(refused.readToEnd()).as("closed without a greeting").isEmpty();
            served.send("^ok");
            assertThat(served.readAscii(2)).isEqualTo("pl");
        }
        assertThat(Http.get(admin, "/metrics").body())
                .contains("ricochet_thread_pool_refused_total{engine=\"thread-pool\"} 1.0")
                .contains("ricochet_connections_closed_total{engine=\"thread-pool\",protocol=\"echo\",reason=\"limit\"} 1.0");
        assertThat(server.stdoutContains("Thread pool full")).isTrue();
        server.process().toHandle().destroy();
        assertThat(server.awaitExit()).isZero();
    }

    @Test
    void refusesAnOptionTheEngineHasNoUseForWithExitTwo() throws Exception {
        ServerProcess server = start(Map.of("RICOCHET_IO_THREADS", "4"), "--engine", "virtual-threads");
        assertThat(server.awaitExit()).isEqualTo(2);
        assertThat(server.stderrLines()).singleElement().asString()
                .contains("--io-threads: 4 does not apply to --engine virtual-threads").contains("RICOCHET_IO_THREADS");
    }

    @Test
    void exitsTwoWithOneLineForABadOption() throws Exception {
        ServerProcess server = start(Map.of(), "--echo-port", "70000");
        assertThat(server.awaitExit()).isEqualTo(2);
        assertThat(server.stderrLines()).singleElement().asString()
                .startsWith("ricochet server: ").contains("--echo-port: 70000 (expected: 0..65535)");
    }

    @Test
    void namesTheEnvironmentVariableThatHeldABadValue() throws Exception {
        ServerProcess server = start(Map.of("RICOCHET_IO_THREADS", "many"));
        assertThat(server.awaitExit()).isEqualTo(2);
        assertThat(server.stderrLines()).singleElement().asString()
                .contains("--io-threads").contains("'many'").contains("RICOCHET_IO_THREADS");
    }

    @Test
    void takesOptionsFromEnvironmentVariables() throws Exception {
        ServerProcess server = startWithout(List.of(), Map.of("RICOCHET_BIND", "127.0.0.1", "RICOCHET_ECHO_PORT", "0",
                "RICOCHET_PRIME_PORT", "0", "RICOCHET_ADMIN_PORT", "0", "RICOCHET_ADMIN_BIND", "127.0.0.1",
                "RICOCHET_IO_THREADS", "1", "RICOCHET_TRANSPORT", "nio"));
        server.awaitListening();
        assertThat(server.stdoutContains("transport nio")).isTrue();
        assertThat(server.stdoutContains("1 I/O thread(s)")).isTrue();
    }

    @Test
    void exitsTwoBeforeStartingAnythingWhenTheTransportAskedForDoesNotLoad() throws Exception {
        ServerProcess server = started(ServerProcess.start(List.of("-Dio.netty.transport.noNative=true"),
                List.of("--transport", "epoll"), Map.of()));
        assertThat(server.awaitExit()).isEqualTo(2);
        assertThat(server.stderrLines()).singleElement().asString()
                .startsWith("ricochet server: --transport epoll is not available on this machine: ");
        assertThat(server.stdoutContains("admin on")).as("the admin server never started").isFalse();
    }

    /**
     * Run from its classes, as here, the JVM does not export the poll selector's package (the
     * jar's manifest does: client-loadgen's ServerJarPollTransportTest): the server says which
     * option to add instead of failing with a stack trace.
     */
    @Test
    void exitsTwoNamingTheJvmOptionWhenThePollSelectorsPackageIsNotExported() throws Exception {
        ServerProcess server = start(Map.of(), "--transport", "poll");
        assertThat(server.awaitExit()).isEqualTo(2);
        assertThat(server.stderrLines()).singleElement().asString()
                .startsWith("ricochet server: --transport poll is not available on this machine: ")
                .contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED");
        assertThat(server.stdoutContains("admin on")).as("the admin server never started").isFalse();
    }

    /** Either way of reaching the JDK's poll selector: the package exported, or the JVM's default made poll. */
    @ParameterizedTest
    @ValueSource(strings = {"--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider"})
    void servesOnThePollTransportWhenTheJvmCanReachThePollSelector(String jvmOption) throws Exception {
        ServerProcess server = started(ServerProcess.start(List.of(jvmOption), List.of("--transport", "poll"), Map.of()));
        InetSocketAddress address = server.awaitListening();
        assertThat(server.stdoutContains("on transport poll (requested")).isTrue();
        try (EchoClient client = EchoClient.connect(address)) {
            client.send("^ab");
            assertThat(client.readAscii(2)).isEqualTo("bc");
        }
        server.process().toHandle().destroy();
        assertThat(server.awaitExit()).isZero();
    }

    @Test
    void exitsOneWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerProcess server = start(Map.of(), "--echo-port", String.valueOf(taken.getLocalPort()));
            assertThat(server.awaitExit()).isEqualTo(1);
            assertThat(server.stderrLines()).singleElement().asString()
                    .contains("cannot listen on 127.0.0.1 ports " + taken.getLocalPort());
        }
    }

    @Test
    void closesTheConnectionsThatRunOutOfDirectMemoryWithALoggedReasonAndKeepsRunning() throws Exception {
        ServerProcess server = startWithJvm(List.of("-XX:MaxDirectMemorySize=16m"));
        InetSocketAddress echo = server.awaitListening();
        InetSocketAddress admin = server.port(ServerProcess.ADMIN);
        // 300 slow readers may hold 300 x 64 KB (the high-water mark) and more: past 16 MB.
        List<SocketChannel> slowReaders = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                SocketChannel reader = SocketChannel.open();
                reader.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                reader.connect(echo);
                reader.configureBlocking(false);
                slowReaders.add(reader);
            }
            ByteBuffer frame = ByteBuffer.allocate(64 * 1024);
            frame.put((byte) '^');
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                int closedByServer = 0;
                for (SocketChannel reader : slowReaders) {
                    try {
                        reader.write(frame.clear());
                    } catch (IOException e) {
                        closedByServer++;
                    }
                }
                return closedByServer > 0 && server.stdoutContains("out of direct memory");
            });
            assertThat(server.process().isAlive()).isTrue();
        } finally {
            for (SocketChannel reader : slowReaders) {
                reader.close();
            }
        }
        // The admin port does not draw on the exhausted memory: probes still answer. (The
        // protocols' allocator keeps the chunks it grew to, so at a cap this low some new
        // connections may still be closed for a while; that is docs/operations.md's sizing.)
        assertThat(Http.get(admin, "/health/live").statusCode()).isEqualTo(200);
        assertThat(Http.get(admin, "/health/ready").statusCode()).isEqualTo(200);
        server.process().toHandle().destroy();
        assertThat(server.awaitExit()).isZero();
    }

    @Test
    void everyConnectionRecoversWhenTheProcessIsPausedAndResumed() throws Exception {
        ServerProcess server = start(Map.of());
        InetSocketAddress echo = server.awaitListening();
        InetSocketAddress admin = server.port(ServerProcess.ADMIN);
        List<EchoClient> clients = new ArrayList<>();
        try (LineClient primes = new LineClient(server.port(ServerProcess.PRIME))) {
            for (int i = 0; i < 20; i++) {
                clients.add(EchoClient.connect(echo));
            }
            signal("STOP", server.process().pid());
            try {
                for (EchoClient client : clients) {
                    client.send("^hello$");
                }
                primes.send("97\n100000000000000003\n");
                // Stopped: nothing can come back, however long we looked.
                assertThat(clients.get(0).socket().getInputStream().available()).isZero();
            } finally {
                signal("CONT", server.process().pid());
            }
            for (EchoClient client : clients) {
                assertThat(client.readAscii(5)).isEqualTo("ifmmp");
            }
            assertThat(primes.readLine()).isEqualTo("prime");
            assertThat(primes.readLine()).isEqualTo("prime");
            assertThat(Http.get(admin, "/health/ready").statusCode()).isEqualTo(200);
        } finally {
            for (EchoClient client : clients) {
                client.close();
            }
        }
        server.process().toHandle().destroy();
        assertThat(server.awaitExit()).isZero();
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s", name).isZero();
    }

    private ServerProcess startWithJvm(List<String> jvmOptions) throws IOException {
        return started(ServerProcess.start(jvmOptions, List.of("--shutdown-delay", "0s"), Map.of()));
    }

    /** Starts the server with every port ephemeral on loopback, except where {@code args} say otherwise. */
    private ServerProcess start(Map<String, String> env, String... args) throws IOException {
        return started(ServerProcess.start(List.of(), List.of(args), env));
    }

    private ServerProcess startWithout(List<String> args, Map<String, String> env) throws IOException {
        return started(ServerProcess.startExactly(List.of(), args, env));
    }

    private ServerProcess started(ServerProcess server) {
        started.add(server);
        return server;
    }
}
