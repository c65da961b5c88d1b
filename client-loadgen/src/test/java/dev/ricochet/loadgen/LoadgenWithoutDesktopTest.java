package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.loadgen.testing.ScriptedEchoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator on the Java runtime of the container image, which holds only the modules
 * deploy/docker/build-base-image.sh names: no java.desktop, so no AWT. A run without --html
 * must never need it (nor load a chart class); a run with it is refused before connecting (were
 * java.desktop added to the image, the refusal test would fail: --html would then run there).
 * Run as a child JVM limited to those modules ({@code --limit-modules}), on this test's classpath.
 */
class LoadgenWithoutDesktopTest {

    private static final Path BASE_IMAGE_SCRIPT = Path.of("..", "deploy", "docker", "build-base-image.sh");
    private static final Pattern MODULES = Pattern.compile("(?m)^MODULES=\"([a-z.,]+)\"");

    @TempDir
    Path work;

    @Test
    void refusesAPageBeforeConnectingWhereTheRuntimeCannotDrawCharts() throws Exception {
        Path page = work.resolve("page.html");
        Child run = loadgen(List.of(), "--target", "127.0.0.1:1", "--connections", "1", "--warmup", "0s",
                "--duration", "300ms", "--html", page.toString());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).as(run.output()).contains("ricochet loadgen: --html: " + page + " (cannot draw its"
                + " charts: this Java runtime has no java.desktop module, whose AWT draws them; a full JDK or JRE has"
                + " it)").doesNotContain("FAILED");
        assertThat(work).as("nothing written").isEmptyDirectory();
    }

    @Test
    void theHtmlCommandRefusesWhereTheRuntimeCannotDrawCharts() throws Exception {
        Path json = work.resolve("report.json");
        try (ScriptedEchoServer server = new ScriptedEchoServer(ScriptedEchoServer.Fault.NONE)) {
            Child run = loadgen(List.of(), "--target", server.target(), "--connections", "1", "--warmup", "0s",
                    "--duration", "300ms", "--io-threads", "1", "--json", json.toString());
            assertThat(run.exitCode()).as(run.output()).isZero();
        }
        Path page = work.resolve("page.html");

        Child html = loadgen(List.of(), "html", json.toString(), page.toString());

        assertThat(html.exitCode()).as(html.output()).isEqualTo(2);
        assertThat(html.output()).contains("ricochet loadgen html: PAGE: " + page + " (cannot draw its charts: this"
                + " Java runtime has no java.desktop module, whose AWT draws them; a full JDK or JRE has it)\n")
                .doesNotContain("Exception");
        assertThat(page).doesNotExist();
    }

    @Test
    void runsAndReportsWithoutLoadingAnyChartOrAwtClass() throws Exception {
        Path classes = work.resolve("classes.log");
        Path json = work.resolve("report.json");
        try (ScriptedEchoServer server = new ScriptedEchoServer(ScriptedEchoServer.Fault.NONE)) {
            Child run = loadgen(List.of("-Xlog:class+load=info:file=" + classes), "--target", server.target(),
                    "--connections", "2", "--warmup", "0s", "--duration", "500ms", "--io-threads", "1",
                    "--json", json.toString());

            assertThat(run.exitCode()).as(run.output()).isZero();
        }
        assertThat(json).isNotEmptyFile();
        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded).as("the classes loaded").anyMatch(line -> line.contains("dev.ricochet.loadgen.Main "));
        assertThat(loaded).noneMatch(line -> line.contains(" java.awt.") || line.contains(" org.jfree.")
                || line.contains(" dev.ricochet.reporthtml.") || line.contains(" dev.ricochet.loadgen.report.html."));
    }

    private static String imageModules() throws IOException {
        Matcher m = MODULES.matcher(Files.readString(BASE_IMAGE_SCRIPT));
        assertThat(m.find()).as("MODULES in " + BASE_IMAGE_SCRIPT).isTrue();
        return m.group(1);
    }

    private record Child(int exitCode, String output) {
    }

    /** Runs the load generator's main in a JVM limited to the image's modules, with {@code jvmOptions}. */
    private Child loadgen(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--limit-modules", imageModules(), "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("loadgen-child", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the load generator did not end within 60 s: " + Files.readString(output));
            }
            return new Child(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
