package dev.ricochet.loadgen.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Ricochet server, run from its jar as a separate process on loopback ephemeral
 * ports: the load generator never links against the server's code, even in its tests.
 */
public final class RicochetServerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("..", "server", "target", "ricochet-server.jar").toAbsolutePath().normalize();
    private static final Pattern PORTS = Pattern.compile("echo on 127\\.0\\.0\\.1:(\\d+), prime on 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final InetSocketAddress echo;
    private final InetSocketAddress prime;

    public RicochetServerProcess(String... extraArgs) throws IOException {
        assertThat(JAR).as("the server jar (build the whole project: ./ricochet test)").exists();
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString()));
        List<String> defaults = List.of("--bind", "127.0.0.1", "--admin-bind", "127.0.0.1", "--echo-port", "0",
                "--prime-port", "0", "--admin-port", "0", "--shutdown-delay", "0s", "--shutdown-grace", "1s");
        List<String> extra = List.of(extraArgs);
        for (int i = 0; i < defaults.size(); i += 2) {
            if (!extra.contains(defaults.get(i))) { // an option given in extraArgs replaces its default
                command.addAll(defaults.subList(i, i + 2));
            }
        }
        command.addAll(extra);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The server reads its defaults from RICOCHET_* variables: not the test shell's.
        builder.environment().keySet().removeIf(name -> name.startsWith("RICOCHET_"));
        process = builder.start();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        Matcher ports = await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String line : output) {
                Matcher m = PORTS.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            assertThat(process.isAlive()).as("server exited: %s", output).isTrue();
            return null;
        }, m -> m != null);
        echo = new InetSocketAddress("127.0.0.1", Integer.parseInt(ports.group(1)));
        prime = new InetSocketAddress("127.0.0.1", Integer.parseInt(ports.group(2)));
    }

    public String echoTarget() {
        return "127.0.0.1:" + echo.getPort();
    }

    public String primeTarget() {
        return "127.0.0.1:" + prime.getPort();
    }

    /** Every line the server wrote so far, stdout and stderr together, in the order read. */
    public List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static boolean exists() {
        return Files.exists(JAR);
    }
}
