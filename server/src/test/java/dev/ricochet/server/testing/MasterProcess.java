package dev.ricochet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A master of worker processes ({@code --processes}) as an operator runs it: a {@link ServerProcess}
 * whose addresses are those of the master's line once every worker is ready, with its workers'
 * processes and the series of its metrics page at hand.
 */
public final class MasterProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("Listening with \\d+ worker processes: echo on"
            + " 127\\.0\\.0\\.1:(\\d+), prime on 127\\.0\\.0\\.1:(\\d+), admin on 127\\.0\\.0\\.1:(\\d+)");

    private final ServerProcess server;
    private final InetSocketAddress echo;
    private final InetSocketAddress prime;
    private final InetSocketAddress admin;

    private MasterProcess(ServerProcess server) {
        this.server = server;
        Matcher ready = await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(server.isAlive()).as("master exited early: %s", server.output()).isTrue();
            return server.stdoutLines().stream().map(READY::matcher).filter(Matcher::find).findFirst();
        }, Optional::isPresent).orElseThrow();
        this.echo = loopback(ready.group(1));
        this.prime = loopback(ready.group(2));
        this.admin = loopback(ready.group(3));
    }

    /**
     * Starts a master of {@code workers} workers with {@code args} (and no shutdown delay), every
     * port an ephemeral loopback one, and waits until all are ready.
     */
    public static MasterProcess start(int workers, List<String> args) throws IOException {
        return start(workers, 0, args);
    }

    /** As {@link #start(int, List)}, with {@code spares} spare processes. */
    public static MasterProcess start(int workers, int spares, List<String> args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--processes", String.valueOf(workers), "--spare-processes",
                String.valueOf(spares), "--shutdown-delay", "0s"));
        all.addAll(args);
        return new MasterProcess(ServerProcess.start(List.of(), all, Map.of()));
    }

    private static InetSocketAddress loopback(String port) {
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(port));
    }

    public ServerProcess server() {
        return server;
    }

    public InetSocketAddress echo() {
        return echo;
    }

    public InetSocketAddress prime() {
        return prime;
    }

    public InetSocketAddress admin() {
        return admin;
    }

    /**
     * The process started as worker {@code index} (not a spare promoted to its place), found among
     * the master's children by its command line, read from /proc: the JDK's
     * {@code ProcessHandle.Info} gives no arguments for a command line as long as a test class path.
     */
    public Optional<ProcessHandle> worker(int index) {
        return child(String.valueOf(index));
    }

    /**
     * The processes the master started as spares ({@code --spare-processes}), those promoted to
     * a worker's place since included: a command line does not change.
     */
    public List<ProcessHandle> startedAsSpares() {
        return children("spare");
    }

    private Optional<ProcessHandle> child(String name) {
        return children(name).stream().findFirst();
    }

    private List<ProcessHandle> children(String name) {
        String marker = "-Dricochet.worker=" + name;
        return server.process().toHandle().children().filter(child -> arguments(child).contains(marker)).toList();
    }

    private static List<String> arguments(ProcessHandle process) {
        try {
            return List.of(Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"))
                    .split("\0"));
        } catch (IOException e) {
            return List.of(); // gone meanwhile
        }
    }

    /** Every worker process the master has now. */
    public List<ProcessHandle> workers() {
        return server.process().toHandle().children().toList();
    }

    /** The master's {@code /metrics} page. */
    public String metrics() throws IOException, InterruptedException {
        var response = Http.get(admin, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /**
     * The value of the series {@code name} whose labels include every {@code label="value"} of
     * {@code labels}, 0 when the page has none (a counter not yet incremented may be absent).
     */
    public static double sample(String page, String name, String... labels) {
        for (String line : page.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String labelSet = line.substring(name.length() + 1, line.indexOf('}'));
            boolean all = true;
            for (String label : labels) {
                all &= List.of(labelSet.split(",")).contains(label);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.indexOf('}') + 1).trim());
            }
        }
        return 0;
    }

    /** Echo connections worker {@code index} has accepted, from the master's page. */
    public double echoAccepted(String page, int index) {
        return sample(page, "ricochet_connections_accepted_total", "worker=\"" + index + "\"", "protocol=\"echo\"");
    }

    @Override
    public void close() {
        workers().forEach(ProcessHandle::destroyForcibly);
        server.close();
    }
}
