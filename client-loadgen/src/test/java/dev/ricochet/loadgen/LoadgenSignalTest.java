package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ricochet.loadgen.testing.ScriptedEchoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and SIGINT stop a run as wrk's Ctrl-C does: the measurement ends at the signal and
 * every report is written, saying so. The load generator runs as a child JVM (a signal goes to
 * a process), on this test's classpath; each test waits for the progress line of the stage it
 * interrupts before signalling, so nothing depends on how fast the machine is. The durations
 * asked for are far longer than any test waits: a run that ignored the signal would not end.
 */
class LoadgenSignalTest {

    /** A progress line of the measurement: no stage after the time (warmup and connect lines name theirs). */
    private static final Pattern MEASURING = Pattern.compile("^\\[\\s*\\d+s] connections ");
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private Child child;

    @AfterEach
    void killTheChild() {
        if (child != null) {
            child.process.destroyForcibly();
        }
    }

    @Test
    void sigtermMidMeasurementEndsItThereWritesEveryReportSayingSoAndExits143() throws Exception {
        Path json = work.resolve("run.json");
        Path html = work.resolve("run.html");
        Path hdr = work.resolve("run.hlog");
        try (ScriptedEchoServer server = new ScriptedEchoServer(ScriptedEchoServer.Fault.NONE)) {
            child = Child.start(work, "--target", server.target(), "--connections", "4", "--rate", "400",
                    "--warmup", "200ms", "--duration", "10m", "--io-threads", "1", "--json", json.toString(),
                    "--html", html.toString(), "--hdr-log", hdr.toString());
            child.awaitErrLine(MEASURING);
            child.signal("TERM");

            assertThat(child.exitCode()).as(child.toString()).isEqualTo(143);
        }
        assertThat(child.err()).contains("ricochet loadgen: SIGTERM: ending the measurement now and writing the reports")
                .contains("ricochet loadgen: FAILED (interrupted by SIGTERM after ");
        assertThat(child.out()).contains("  INTERRUPTED    by SIGTERM after ").contains(" s of the 600 s measurement");

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode interrupted = report.get("interrupted");
        assertThat(interrupted.get("signal").asText()).isEqualTo("SIGTERM");
        assertThat(interrupted.get("of_seconds").asDouble()).isEqualTo(600.0);
        assertThat(interrupted.get("after_seconds").asDouble()).isEqualTo(report.get("seconds").asDouble())
                .isLessThan(600.0);
        JsonNode verdict = report.get("verdict");
        assertThat(verdict.get("passed").asBoolean()).isFalse();
        assertThat(verdict.get("reason").asText()).isEqualTo("interrupted " + interrupted.get("text").asText())
                .startsWith("interrupted by SIGTERM after ");

        // The same end as a run that ran its duration: every request planned in the measurement has one fate.
        JsonNode measured = report.get("measured");
        assertThat(measured.get("answered").asLong()).as(child.toString()).isPositive();
        long answered = measured.get("answered").asLong();
        long unanswered = measured.get("unanswered_at_end").asLong();
        assertThat(answered + measured.get("shed").asLong() + measured.get("failed_total").asLong() + unanswered)
                .isEqualTo(measured.get("accounted").asLong());
        // The corrected histogram holds every request answered and every one unanswered at the end.
        assertThat(report.get("latency_corrected_ms").get("samples").asLong()).isEqualTo(answered + unanswered);
        JsonNode whole = report.get("whole_run");
        assertThat(whole.get("sent").asLong()).isEqualTo(whole.get("accounted").asLong()
                - whole.get("unanswered_at_end_never_sent").asLong());

        RunPageText page = RunPageText.read(html);
        assertThat(page.verdict()).isEqualTo("FAILED: " + verdict.get("reason").asText());
        assertThat(page.fact("interrupted")).startsWith(interrupted.get("text").asText());

        // The interval log was closed whole: every line read back, the last one a histogram.
        HistogramLogReader log = new HistogramLogReader(hdr.toFile());
        int histograms = 0;
        while (log.nextIntervalHistogram() != null) {
            histograms++;
        }
        assertThat(histograms).isPositive();
        assertThat(Files.readString(hdr)).endsWith("\n");
    }

    @Test
    void sigintMidMeasurementExits130WithItsReport() throws Exception {
        // A JVM started ignoring SIGINT (a background job's, as a build's may be) cannot handle it, and its
        // children inherit the ignoring: GNU env then starts the child with SIGINT back to its default.
        List<String> prefix = List.of();
        if (sigintIgnoredHere()) {
            prefix = List.of("env", "--default-signal=INT");
            assumeTrue(canRun(prefix), "SIGINT is ignored here, and no env --default-signal to restore it");
        }
        Path json = work.resolve("run.json");
        try (ScriptedEchoServer server = new ScriptedEchoServer(ScriptedEchoServer.Fault.NONE)) {
            child = Child.start(work, prefix, "--target", server.target(), "--connections", "2", "--warmup", "0s",
                    "--duration", "10m", "--io-threads", "1", "--json", json.toString());
            child.awaitErrLine(MEASURING);
            child.signal("INT");

            assertThat(child.exitCode()).as(child.toString()).isEqualTo(130);
        }
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("interrupted").get("signal").asText()).isEqualTo("SIGINT");
        assertThat(report.get("verdict").get("reason").asText()).startsWith("interrupted by SIGINT after ");
        assertThat(report.get("measured").get("answered").asLong()).as(child.toString()).isPositive();
    }

    @Test
    void aSignalBeforeTheMeasurementWritesNothingAndSaysSo() throws Exception {
        Path json = work.resolve("run.json");
        try (ScriptedEchoServer server = new ScriptedEchoServer(ScriptedEchoServer.Fault.SILENT)) {
            // Never greeted: the connect phase lasts the connect timeout.
            child = Child.start(work, "--target", server.target(), "--connections", "2", "--connect-timeout", "10m",
                    "--duration", "1s", "--io-threads", "1", "--json", json.toString());
            child.awaitErrLine(Pattern.compile("^\\[\\s*\\d+s] connect connections "));
            child.signal("TERM");

            assertThat(child.exitCode()).as(child.toString()).isEqualTo(143);
        }
        assertThat(child.err()).contains("ricochet loadgen: interrupted by SIGTERM in the connect phase, before the"
                + " measurement: nothing was measured, no report written");
        assertThat(child.out()).isEmpty();
        assertThat(json).doesNotExist();
    }

    @Test
    void aSecondSignalWhileTheRunEndsExitsAtOnce() throws Exception {
        Path json = work.resolve("run.json");
        try (ScriptedEchoServer server = new ScriptedEchoServer(ScriptedEchoServer.Fault.SILENT)) {
            // Churn waits, once its measurement is over, for each connection it opened to settle: here, never
            // greeted, for the connect timeout. The first signal ends the measurement; the second one, the wait.
            child = Child.start(work, "--target", server.target(), "--churn", "20", "--connect-timeout", "10m",
                    "--warmup", "0s", "--duration", "10m", "--io-threads", "1", "--json", json.toString());
            child.awaitErrLine(MEASURING);
            child.signal("TERM");
            child.awaitErrLine(Pattern.compile("^ricochet loadgen: SIGTERM: ending the measurement now"));
            child.signal("TERM");

            assertThat(child.exitCode()).as(child.toString()).isEqualTo(143);
        }
        assertThat(child.err()).contains("ricochet loadgen: SIGTERM again: exiting at once, the reports unwritten"
                + " or incomplete");
        assertThat(json).doesNotExist();
    }

    private static boolean canRun(List<String> prefix) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.add("true");
        try {
            return new ProcessBuilder(command).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether this JVM ignores SIGINT, as its children then do: bit 1 of SigIgn in /proc/self/status (Linux). */
    private static boolean sigintIgnoredHere() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    /** The load generator's main in a child JVM, its stderr read line by line as it comes, its stdout kept in a file. */
    private record Child(Process process, List<String> errLines, Path outFile, Thread reader) {

        static Child start(Path work, String... args) throws IOException {
            return start(work, List.of(), args);
        }

        /** @param prefix what the JVM's command line is run by, such as env */
        static Child start(Path work, List<String> prefix, String... args) throws IOException {
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName()));
            command.addAll(List.of(args));
            Path out = Files.createTempFile(work, "loadgen-out", ".txt");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).start();
            List<String> err = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        err.add(line);
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            });
            return new Child(process, err, out, reader);
        }

        void awaitErrLine(Pattern line) {
            await().atMost(EXIT_WITHIN).until(() -> {
                assertThat(process.isAlive()).as("the load generator exited: %s", this).isTrue();
                return errLines.stream().anyMatch(l -> line.matcher(l).find());
            });
        }

        /**
         * Sends signal {@code name} (INT, TERM) with kill(1): not with {@link Process#destroy}, which
         * sends SIGTERM but also closes this side of the child's pipes, so that its last words are lost.
         */
        void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
        }

        int exitCode() throws Exception {
            if (!process.waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the load generator did not end: " + this);
            }
            reader.join(Duration.ofSeconds(10)); // its last lines of stderr, up to the end of the stream
            return process.exitValue();
        }

        String err() {
            return String.join("\n", errLines);
        }

        String out() throws IOException {
            return Files.readString(outFile, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            try {
                return "stdout:\n" + out() + "\nstderr:\n" + err();
            } catch (IOException e) {
                return "stderr:\n" + err();
            }
        }
    }
}
