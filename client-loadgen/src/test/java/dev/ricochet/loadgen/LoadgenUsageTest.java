package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad usage is refused before the first connection: exit 2, one line on stderr, no report. The
 * target is a port nothing listens on, so a run that was not refused would end otherwise: its
 * connects refused, exit 1, after its short measurement.
 */
class LoadgenUsageTest {

    /** sysfs takes no new file, not even from root; read-only where containers mount it so. */
    private static final Path UNWRITABLE = Path.of("/sys/ricochet-loadgen-test");

    @TempDir
    Path work;

    private static Loadgen.Outcome loadgen(String... args) {
        List<String> all = new ArrayList<>(List.of("--target", "127.0.0.1:1", "--connections", "1",
                "--warmup", "0s", "--duration", "300ms"));
        all.addAll(List.of(args));
        return Loadgen.runExactly(all.toArray(String[]::new));
    }

    private static void assertRefused(Loadgen.Outcome o, String message) {
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(2);
        assertThat(o.err()).as(o.toString()).startsWith("ricochet loadgen: " + message).hasLineCount(1);
        assertThat(o.out()).as("no run, no report").isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"--json, folder", "--json, missing folder", "--json, unwritable",
            "--hdr-log, folder", "--hdr-log, missing folder", "--hdr-log, unwritable"})
    void refusesAReportFileItCannotWriteBeforeConnecting(String option, String kind) {
        Path file = switch (kind) {
            case "folder" -> work;
            case "missing folder" -> work.resolve("missing").resolve("report");
            default -> UNWRITABLE;
        };
        String reason = switch (kind) {
            case "folder" -> "it is a folder";
            case "missing folder" -> "no folder " + work.resolve("missing");
            default -> ""; // permission denied, or a read-only file system
        };
        assertRefused(loadgen(option, file.toString()), option + ": " + file + " (cannot write: " + reason);
    }

    @Test
    void leavesNoFileBehindWhenItChecksOneAndRefusesTheRun() {
        Path report = work.resolve("report.json");
        Path log = work.resolve("missing").resolve("run.hlog");
        assertRefused(loadgen("--json", report.toString(), "--hdr-log", log.toString()), "--hdr-log: " + log);
        assertThat(work).as("the JSON report's check, undone").isEmptyDirectory();
    }

    @Test
    void leavesAnExistingReportFileAsItWasWhenItRefusesTheRun() throws IOException {
        Path report = Files.writeString(work.resolve("report.json"), "{\"from\": \"the last run\"}");
        Path log = work.resolve("missing").resolve("run.hlog");
        assertRefused(loadgen("--json", report.toString(), "--hdr-log", log.toString()), "--hdr-log: " + log);
        assertThat(report).hasContent("{\"from\": \"the last run\"}");
    }
}
