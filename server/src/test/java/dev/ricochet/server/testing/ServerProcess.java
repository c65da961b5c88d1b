package dev.ricochet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
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

/**
 * The server as an operator runs it: a separate JVM with the production logging
 * configuration, its output collected line by line, every listener on an ephemeral loopback
 * port unless the arguments say otherwise.
 */
public final class ServerProcess implements AutoCloseable {

    public static final Pattern ECHO = Pattern.compile("echo on 127\\.0\\.0\\.1:(\\d+)");
    public static final Pattern PRIME = Pattern.compile("prime on 127\\.0\\.0\\.1:(\\d+)");
    public static final Pattern ADMIN = Pattern.compile("admin on 127\\.0\\.0\\.1:(\\d+)");
    private static final List<String> EPHEMERAL = List.of("--bind", "127.0.0.1", "--admin-bind", "127.0.0.1",
            "--echo-port", "0", "--prime-port", "0", "--admin-port", "0");

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread[] pumps;

    private ServerProcess(Process process) {
        this.process = process;
        this.pumps = new Thread[] {
                Thread.ofVirtual().start(() -> pump(process.getInputStream(), stdout)),
                Thread.ofVirtual().start(() -> pump(process.getErrorStream(), stderr))};
    }

    /**
     * Starts the server with leak detection asked (production leaves it off), every listener
     * not named in {@code args} on an ephemeral loopback port.
     *
     * @param jvmOptions options for the JVM, before the main class
     * @param args       the server's options
     * @param env        environment variables; the caller's {@code RICOCHET_*} ones are removed
     */
    public static ServerProcess start(List<String> jvmOptions, List<String> args, Map<String, String> env)
            throws IOException {
        return startExactly(jvmOptions, ephemeralUnlessNamed(args), env);
    }

    /** As {@link #start}, with {@code args} exactly as given: listeners on their defaults unless named. */
    public static ServerProcess startExactly(List<String> jvmOptions, List<String> args, Map<String, String> env)
            throws IOException {
        List<String> withLeakDetection = new ArrayList<>(List.of("-Dio.netty.leakDetection.level=paranoid"));
        withLeakDetection.addAll(jvmOptions);
        return startWith(withLeakDetection, args, env);
    }

    /**
     * As {@link #start}, without asking for leak detection, as in production: {@code Main}
     * turns it off, and Netty's leak detector, loaded for that, starts Log4j before the
     * options are read. For what only shows then (the log format chosen after Log4j started).
     */
    public static ServerProcess startAsDeployed(List<String> args, Map<String, String> env) throws IOException {
        return startWith(List.of(), ephemeralUnlessNamed(args), env);
    }

    private static List<String> ephemeralUnlessNamed(List<String> args) {
        List<String> all = new ArrayList<>(args);
        for (int i = 0; i < EPHEMERAL.size(); i += 2) {
            if (!args.contains(EPHEMERAL.get(i))) {
                all.addAll(EPHEMERAL.subList(i, i + 2));
            }
        }
        return all;
    }

    private static ServerProcess startWith(List<String> jvmOptions, List<String> args, Map<String, String> env)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Dlog4j2.configurationFile=" + productionLogConfig(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("RICOCHET_"));
        builder.environment().putAll(env);
        return new ServerProcess(builder.start());
    }

    private static String productionLogConfig() {
        try {
            return Path.of(Main.class.getResource("/log4j2.xml").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pump(java.io.InputStream stream, List<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    public Process process() {
        return process;
    }

    /** The address of the listener whose log line {@code pattern} matches, once it listens. */
    public InetSocketAddress port(Pattern pattern) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String line : stdout) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)));
                }
            }
            assertThat(process.isAlive()).as("server exited early: %s %s", stdout, stderr).isTrue();
            return null;
        }, address -> address != null);
    }

    /** The echo listener's address, once it listens. */
    public InetSocketAddress awaitListening() {
        return port(ECHO);
    }

    /** Waits for the process to exit by itself (30 s at most) and returns its exit code. */
    public int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        for (Thread pump : pumps) {
            pump.join();
        }
        System.out.printf("server process exited %d%n%s%n", process.exitValue(), output());
        return process.exitValue();
    }

    public boolean stdoutContains(String text) {
        return stdout.stream().anyMatch(line -> line.contains(text));
    }

    public List<String> stdoutLines() {
        return List.copyOf(stdout);
    }

    public List<String> stderrLines() {
        return List.copyOf(stderr);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process wrote so far, for failure messages. */
    public String output() {
        return "stdout: " + stdout + "\nstderr: " + stderr;
    }

    /** Sends SIGTERM and waits for the exit code. */
    public int stop() throws InterruptedException {
        process.toHandle().destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        for (Thread pump : pumps) {
            pump.join();
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
