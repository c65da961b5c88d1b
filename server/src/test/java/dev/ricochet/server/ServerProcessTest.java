package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.Http;
import dev.ricochet.server.testing.LineClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The server as an operator runs it: a separate JVM, options, signals and exit codes. */
class ServerProcessTest {

    private static final Pattern LISTENING = Pattern.compile("echo on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern ADMIN = Pattern.compile("admin on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern PRIME = Pattern.compile("prime on 127\\.0\\.0\\.1:(\\d+)");
    /** Every listener on an ephemeral loopback port, so that nothing else on the machine interferes. */
    private static final List<String> EPHEMERAL = List.of("--bind", "127.0.0.1", "--admin-bind", "127.0.0.1",
            "--echo-port", "0", "--prime-port", "0", "--admin-port", "0");

    private final List<ServerProcess> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> p.process.destroyForcibly());
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void drainsOpenConnectionsOnSigtermAndExitsZero(EngineKind engine) throws Exception {
        ServerProcess server = start(Map.of(), "--engine", engine.cliName(), "--shutdown-grace", "5m");
        InetSocketAddress address = server.awaitListening();
        InetSocketAddress admin = server.port(ADMIN);
        assertThat(Http.get(admin, "/health/ready").statusCode()).isEqualTo(200);
        try (EchoClient client = EchoClient.connect(address)) {
            client.send("^a");
            assertThat(client.readAscii(1)).isEqualTo("b");

            // SIGTERM through the handle: Process.destroy() would also close our end of its pipes.
            server.process.toHandle().destroy();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.stdoutContains("Draining"));
            assertThat(Http.get(admin, "/health/ready").statusCode()).isEqualTo(503);
            assertThat(Http.get(admin, "/health/live").statusCode()).isEqualTo(200);
            client.send("b");
            assertThat(client.readAscii(1)).isEqualTo("c");
            assertThat(server.process.isAlive()).isTrue();
        }
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process.exitValue()).isZero();
        assertThat(server.stdoutContains("Stopped")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void cutsTheDrainShortOnASecondSignal(EngineKind engine) throws Exception {
        ServerProcess server = start(Map.of(), "--engine", engine.cliName(), "--shutdown-delay", "0s", "--shutdown-grace", "1h");
        try (EchoClient midFrame = EchoClient.connect(server.awaitListening())) {
            midFrame.send("^a");
            assertThat(midFrame.readAscii(1)).isEqualTo("b");
            server.process.toHandle().destroy();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.stdoutContains("Draining"));
            server.process.toHandle().destroy();
            assertThat(midFrame.serverClosed()).isTrue();
            assertThat(server.awaitExit()).isZero();
            assertThat(server.stdoutContains("Drain cut short: closing 1 connection(s): 1 still owing")).isTrue();
        }
    }

    @Test
    void turnsNotReadyFirstAndKeepsAcceptingForTheShutdownDelay() throws Exception {
        ServerProcess server = start(Map.of(), "--shutdown-delay", "1h");
        InetSocketAddress echo = server.awaitListening();
        InetSocketAddress admin = server.port(ADMIN);
        server.process.toHandle().destroy();
        await().atMost(Duration.ofSeconds(20)).until(() -> server.stdoutContains("Not ready: accepting for"));
        assertThat(Http.get(admin, "/health/ready").statusCode()).isEqualTo(503);
        try (EchoClient late = EchoClient.connect(echo)) {
            late.send("^ok$");
            assertThat(late.readAscii(2)).isEqualTo("pl");
        }
        assertThat(server.stdoutContains("Draining")).isFalse();

        server.process.toHandle().destroy(); // a second signal ends the delay too
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

            server.process.toHandle().destroy();
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
        InetSocketAddress prime = server.port(PRIME);
        try (LineClient owed = new LineClient(prime); LineClient idle = new LineClient(prime)) {
            owed.send("7\n100000000000000003\n15\n");
            assertThat(owed.readLine()).isEqualTo("prime");

            server.process.toHandle().destroy();
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
            server.process.toHandle().destroy();
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
        InetSocketAddress admin = server.port(ADMIN);
        try (EchoClient echo = EchoClient.connect(server.awaitListening())) {
            echo.send("^HAL$");
            assertThat(echo.readAscii(3)).isEqualTo("IBM");
        }
        try (LineClient prime = new LineClient(server.port(PRIME))) {
            prime.send("97\n");
            assertThat(prime.readLine()).isEqualTo("prime");
        }
        assertThat(Http.get(admin, "/health/ready").statusCode()).isEqualTo(200);
        String label = "engine=\"" + engine.cliName() + "\"";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Http.get(admin, "/metrics").body())
                .contains("ricochet_connections_accepted_total{" + label + ",protocol=\"echo\"} 1.0")
                .contains("ricochet_connections_closed_total{" + label + ",protocol=\"prime\",reason=\"client\"} 1.0")
                .contains("ricochet_prime_requests_total{" + label + ",result=\"prime\"} 1.0"));
        server.process.toHandle().destroy();
        assertThat(server.awaitExit()).isZero();
    }

    @Test
    void threadPoolRefusesAndCountsAConnectionWhenItsWorkersAndQueueAreFull() throws Exception {
        ServerProcess server = start(Map.of(), "--engine", "thread-pool", "--threads", "1", "--pool-queue", "0",
                "--shutdown-delay", "0s");
        InetSocketAddress admin = server.port(ADMIN);
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
        server.process.toHandle().destroy();
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
        InetSocketAddress admin = server.port(ADMIN);
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
            assertThat(server.process.isAlive()).isTrue();
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
        server.process.toHandle().destroy();
        assertThat(server.awaitExit()).isZero();
    }

    @Test
    void everyConnectionRecoversWhenTheProcessIsPausedAndResumed() throws Exception {
        ServerProcess server = start(Map.of());
        InetSocketAddress echo = server.awaitListening();
        InetSocketAddress admin = server.port(ADMIN);
        List<EchoClient> clients = new ArrayList<>();
        try (LineClient primes = new LineClient(server.port(PRIME))) {
            for (int i = 0; i < 20; i++) {
                clients.add(EchoClient.connect(echo));
            }
            signal("STOP", server.process.pid());
            try {
                for (EchoClient client : clients) {
                    client.send("^hello$");
                }
                primes.send("97\n100000000000000003\n");
                // Stopped: nothing can come back, however long we looked.
                assertThat(clients.get(0).socket().getInputStream().available()).isZero();
            } finally {
                signal("CONT", server.process.pid());
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
        server.process.toHandle().destroy();
        assertThat(server.awaitExit()).isZero();
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s", name).isZero();
    }

    private ServerProcess startWithJvm(List<String> jvmOptions) throws IOException {
        List<String> args = new ArrayList<>(EPHEMERAL);
        args.addAll(List.of("--shutdown-delay", "0s"));
        return startWithout(jvmOptions, args, Map.of());
    }

    /** Starts the server with every port ephemeral on loopback, except where {@code args} say otherwise. */
    private ServerProcess start(Map<String, String> env, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        for (int i = 0; i < EPHEMERAL.size(); i += 2) {
            if (!all.contains(EPHEMERAL.get(i))) {
                all.addAll(EPHEMERAL.subList(i, i + 2));
            }
        }
        return startWithout(all, env);
    }

    private ServerProcess startWithout(List<String> args, Map<String, String> env) throws IOException {
        return startWithout(List.of(), args, env);
    }

    private ServerProcess startWithout(List<String> jvmOptions, List<String> args, Map<String, String> env)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                // Production turns leak detection off unless asked: the tests ask.
                "-Dio.netty.leakDetection.level=paranoid"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                // The production logging configuration (async), not the tests' one.
                "-Dlog4j2.configurationFile=" + productionLogConfig(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("RICOCHET_"));
        builder.environment().putAll(env);
        ServerProcess server = new ServerProcess(builder.start());
        started.add(server);
        return server;
    }

    private static String productionLogConfig() {
        try {
            return Path.of(Main.class.getResource("/log4j2.xml").toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class ServerProcess {
        final Process process;
        final List<String> stdout = new CopyOnWriteArrayList<>();
        final List<String> stderr = new CopyOnWriteArrayList<>();
        final Thread[] pumps;

        ServerProcess(Process process) {
            this.process = process;
            this.pumps = new Thread[] {
                    Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), stdout)),
                    Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), stderr))};
        }

        private static void pump(BufferedReader reader, List<String> lines) {
            try (reader) {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }

        InetSocketAddress awaitListening() {
            return port(LISTENING);
        }

        InetSocketAddress port(Pattern pattern) {
            return await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (String line : stdout) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)));
                    }
                }
                assertThat(process.isAlive()).as("server exited early: %s %s", stdout, stderr).isTrue();
                return null;
            }, a -> a != null);
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            for (Thread pump : pumps) {
                pump.join();
            }
            System.out.printf("server process exited %d%nstdout: %s%nstderr: %s%n", process.exitValue(), stdout, stderr);
            return process.exitValue();
        }

        boolean stdoutContains(String text) {
            return stdout.stream().anyMatch(line -> line.contains(text));
        }

        List<String> stderrLines() {
            return List.copyOf(stderr);
        }
    }
}
