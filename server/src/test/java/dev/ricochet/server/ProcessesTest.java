package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.Http;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.testing.MasterProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --processes}: a master and its worker processes, as an operator runs them, in the
 * literature's three models. Every worker is a JVM of its own, so each test starts three.
 */
class ProcessesTest {

    private static final Duration GENEROUS = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<MasterProcess> masters = new ArrayList<>();
    private final List<EchoClient> clients = new ArrayList<>();
    private final List<ProcessHandle> orphans = new ArrayList<>();

    @AfterEach
    void closeEverything() throws IOException {
        for (EchoClient client : clients) {
            client.close();
        }
        masters.forEach(MasterProcess::close);
        orphans.forEach(ProcessHandle::destroyForcibly);
    }

    /** Prefork, Apache's worker MPM, nginx. */
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("prefork", List.of("--engine", "sequential")),
                Arguments.of("worker MPM", List.of("--engine", "thread-pool", "--threads", "8")),
                Arguments.of("nginx", List.of("--engine", "netty", "--io-threads", "1")));
    }

    /**
     * The models whose workers hold more than one connection at a time: a prefork worker serves
     * one, and the others sent to it wait unaccepted, counted nowhere.
     */
    static Stream<Arguments> concurrentModels() {
        return models().filter(model -> !model.get()[0].equals("prefork"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyWorkerServesBothProtocolsUnderOneAdminPort(String model, List<String> options) throws Exception {
        MasterProcess master = start(options);
        assertThat(Http.get(master.admin(), "/health/ready").statusCode()).isEqualTo(200);
        assertThat(Http.get(master.admin(), "/health/live").statusCode()).isEqualTo(200);
        try (EchoClient echo = EchoClient.connect(master.echo())) {
            echo.playsEveryReferenceCase();
        }
        try (LineClient prime = new LineClient(master.prime())) {
            assertThat(prime.send("97\n").readLine()).isEqualTo("prime");
            assertThat(prime.send("91\n").readLine()).isEqualTo("composite");
        }
        // New connections until the kernel has sent some to each worker (40 to one alone: 2^-39).
        await().atMost(GENEROUS).untilAsserted(() -> {
            try (EchoClient echo = EchoClient.connect(master.echo())) {
                assertThat(echo.send("^HAL$").readAscii(3)).isEqualTo("IBM");
            }
            String page = master.metrics();
            assertThat(master.echoAccepted(page, 0)).isPositive();
            assertThat(master.echoAccepted(page, 1)).isPositive();
        });
        String page = master.metrics();
        assertThat(MasterProcess.sample(page, "ricochet_worker_ready", "worker=\"0\"")).isEqualTo(1);
        assertThat(MasterProcess.sample(page, "ricochet_worker_ready", "worker=\"1\"")).isEqualTo(1);
        assertThat(page).contains("ricochet_prime_requests_total{worker=\"")
                .containsOnlyOnce("# TYPE ricochet_connections_accepted_total counter");
        assertThat(master.server().stop()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("concurrentModels")
    void aKilledWorkerFailsOnlyItsOwnConnectionsAndIsReplaced(String model, List<String> options) throws Exception {
        MasterProcess master = start(options);
        List<List<EchoClient>> byWorker = clientsOnBothWorkers(master, 2);
        for (EchoClient client : clients) {
            assertThat(client.send("^a").readAscii(1)).isEqualTo("b"); // in the middle of a frame
        }
        ProcessHandle killed = master.worker(0).orElseThrow();
        long survivor = master.worker(1).orElseThrow().pid();

        killed.destroyForcibly(); // SIGKILL
        for (EchoClient lost : byWorker.get(0)) {
            assertThat(lost.serverClosed()).as("a connection of the killed worker").isTrue();
        }
        assertThat(Http.get(master.admin(), "/health/ready").statusCode()).as("one worker still serves").isEqualTo(200);
        // The survivor's clients keep being served, without one error, while the master replaces worker 0.
        await().atMost(GENEROUS).untilAsserted(() -> {
            for (EchoClient client : byWorker.get(1)) {
                assertThat(client.send("b$^q").readAscii(2)).isEqualTo("cr");
            }
            String page = master.metrics();
            assertThat(MasterProcess.sample(page, "ricochet_worker_restarts_total", "worker=\"0\"")).isEqualTo(1);
            assertThat(MasterProcess.sample(page, "ricochet_worker_ready", "worker=\"0\"")).isEqualTo(1);
        });
        ProcessHandle replacement = master.worker(0).orElseThrow();
        assertThat(replacement.pid()).isNotEqualTo(killed.pid());
        assertThat(master.worker(1).orElseThrow().pid()).isEqualTo(survivor);
        // The replacement serves: new connections until one reaches it (its counters start again at 0).
        await().atMost(GENEROUS).untilAsserted(() -> {
            try (EchoClient echo = EchoClient.connect(master.echo())) {
                assertThat(echo.send("^ok$").readAscii(2)).isEqualTo("pl");
            }
            assertThat(master.echoAccepted(master.metrics(), 0)).isPositive();
        });
        assertThat(MasterProcess.sample(master.metrics(), "ricochet_worker_restarts_total", "worker=\"1\""))
                .isZero();
        assertThat(master.server().stdoutContains("Worker 0 (pid " + killed.pid() + ") exited with code 137"))
                .isTrue();
        assertThat(master.server().stop()).isZero();
    }

    @Test
    void aSpareTakesTheKilledWorkersPlaceAndAnotherSpareIsStarted() throws Exception {
        MasterProcess master = MasterProcess.start(2, 1, List.of("--engine", "netty", "--io-threads", "1"));
        masters.add(master);
        await().atMost(GENEROUS).until(() -> MasterProcess.sample(master.metrics(), "ricochet_worker_spares") == 1);
        ProcessHandle spare = master.startedAsSpares().getFirst();
        ProcessHandle killed = master.worker(0).orElseThrow();

        killed.destroyForcibly();
        await().atMost(GENEROUS).untilAsserted(() -> {
            String page = master.metrics();
            assertThat(MasterProcess.sample(page, "ricochet_worker_restarts_total", "worker=\"0\"")).isEqualTo(1);
            assertThat(MasterProcess.sample(page, "ricochet_worker_ready", "worker=\"0\"")).isEqualTo(1);
        });
        assertThat(master.worker(0)).as("no new JVM started as worker 0").isEmpty();
        // A spare's lines say so, then carry its new index: a second worker 0 says it listens.
        await().atMost(GENEROUS).untilAsserted(() -> assertThat(master.server().stdoutLines())
                .anyMatch(line -> line.contains("Spare (pid " + spare.pid() + ") takes its place"))
                .anyMatch(line -> line.contains("Worker 0 (pid " + spare.pid() + ") ready"))
                .anyMatch(line -> line.contains("worker-spare [main] Main - Spare:"))
                .filteredOn(line -> line.contains("worker-0 [main] Main - Listening")).hasSize(2));
        await().atMost(GENEROUS).untilAsserted(() -> {
            try (EchoClient echo = EchoClient.connect(master.echo())) {
                assertThat(echo.send("^ok$").readAscii(2)).isEqualTo("pl");
            }
            assertThat(master.echoAccepted(master.metrics(), 0)).isPositive();
        });
        await().atMost(GENEROUS).until(() -> MasterProcess.sample(master.metrics(), "ricochet_worker_spares") == 1);
        assertThat(master.startedAsSpares()).as("the promoted spare and a new one").hasSize(2).contains(spare);
        List<ProcessHandle> children = master.workers();
        assertThat(children).hasSize(3);
        assertThat(master.server().stop()).isZero();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("concurrentModels")
    void sigtermDrainsEveryWorkerAndTheMasterExitsZeroWithNoWorkerLeft(String model, List<String> options)
            throws Exception {
        MasterProcess master = start(options);
        List<List<EchoClient>> byWorker = clientsOnBothWorkers(master, 1);
        for (EchoClient client : clients) {
            assertThat(client.send("^hello, ").readAscii(7)).isEqualTo("ifmmp-!");
        }
        List<ProcessHandle> workers = master.workers();
        assertThat(workers).hasSize(2);

        master.server().process().toHandle().destroy(); // SIGTERM
        await().atMost(GENEROUS).until(() -> logged(master, "worker-0 ", "Draining")
                && logged(master, "worker-1 ", "Draining"));
        assertThat(Http.get(master.admin(), "/health/ready").statusCode()).isEqualTo(503);
        for (List<EchoClient> ofOneWorker : byWorker) {
            for (EchoClient client : ofOneWorker) {
                client.send("world$^never answered");
                assertThat(client.readToEnd()).asString().isEqualTo("xpsme");
            }
        }
        assertThat(master.server().awaitExit()).isZero();
        assertThat(master.server().stdoutContains("Stopped: every worker process has exited")).isTrue();
        for (ProcessHandle worker : workers) {
            assertThat(worker.isAlive()).as("worker %d", worker.pid()).isFalse();
        }
    }

    @Test
    void jsonLogsStayOneObjectPerLineEachWorkersTaggedWithItsIndex() throws Exception {
        MasterProcess master = start(List.of("--engine", "sequential", "--log-format", "json"));
        assertThat(master.server().stop()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : master.server().stdoutLines()) {
            lines.add(JSON.readTree(line)); // fails on any line that is not one whole JSON object
        }
        assertThat(lines).anyMatch(line -> line.path("ricochet.worker").asText().equals("0")
                && line.path("message").asText().startsWith("Listening: echo on"));
        assertThat(lines).anyMatch(line -> line.path("ricochet.worker").asText().equals("1")
                && line.path("message").asText().startsWith("Listening: echo on"));
        assertThat(lines).anyMatch(line -> line.path("ricochet.worker").isMissingNode()
                && line.path("message").asText().startsWith("Listening with 2 worker processes"));
    }

    @Test
    void workersExitByThemselvesWhenTheMasterIsKilled() throws Exception {
        MasterProcess master = start(List.of("--engine", "sequential"));
        List<ProcessHandle> workers = master.workers();
        assertThat(workers).hasSize(2);
        orphans.addAll(workers);

        master.server().process().destroyForcibly(); // SIGKILL: the master passes nothing on
        assertThat(master.server().process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(GENEROUS).untilAsserted(() -> assertThat(workers).noneMatch(ProcessHandle::isAlive));
    }

    private static boolean logged(MasterProcess master, String worker, String text) {
        return master.server().stdoutLines().stream().anyMatch(line -> line.contains(worker) && line.contains(text));
    }

    private MasterProcess start(List<String> options) throws IOException {
        MasterProcess master = MasterProcess.start(2, options);
        masters.add(master);
        return master;
    }

    /**
     * Connects echo clients, one at a time, each greeted (so accepted by a worker), and tells
     * which worker took it by the worker whose accepted count moved, until each of the two
     * holds {@code each} of them.
     */
    private List<List<EchoClient>> clientsOnBothWorkers(MasterProcess master, int each) throws Exception {
        List<List<EchoClient>> byWorker = List.of(new ArrayList<>(), new ArrayList<>());
        double[] accepted = new double[2];
        for (int attempt = 0; attempt < 60 && (byWorker.get(0).size() < each || byWorker.get(1).size() < each);
                attempt++) {
            EchoClient client = EchoClient.connect(master.echo());
            clients.add(client);
            int worker = await().atMost(GENEROUS).until(() -> {
                String page = master.metrics();
                for (int i = 0; i < 2; i++) {
                    double now = master.echoAccepted(page, i);
                    if (now > accepted[i]) {
                        accepted[i] = now;
                        return i;
                    }
                }
                return -1;
            }, index -> index >= 0);
            byWorker.get(worker).add(client);
        }
        assertThat(byWorker.get(0)).as("clients of worker 0").hasSizeGreaterThanOrEqualTo(each);
        assertThat(byWorker.get(1)).as("clients of worker 1").hasSizeGreaterThanOrEqualTo(each);
        return byWorker;
    }
}
