package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.loadgen.testing.ScriptedEchoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ricochet loadgen html REPORT PAGE}: the page of a run drawn afterwards from its JSON
 * report, byte for byte the page {@code --html} wrote during the same run; and its refusals.
 */
class LoadgenHtmlCommandTest {

    @TempDir
    Path work;

    /** A short open-loop run against {@code server}, with {@code reports} (--json, --html). */
    private static Loadgen.Outcome run(ScriptedEchoServer server, String... reports) {
        List<String> args = new ArrayList<>(List.of("--target", server.target(), "--connections", "2", "--rate",
                "200", "--warmup", "500ms", "--duration", "1s", "--io-threads", "1"));
        args.addAll(List.of(reports));
        return Loadgen.runExactly(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @EnumSource(value = ScriptedEchoServer.Fault.class, names = {"NONE", "CORRUPT_ONE_BYTE"})
    void drawsFromARunsJsonThePageItsHtmlOptionWrote(ScriptedEchoServer.Fault fault) throws Exception {
        Path json = work.resolve("run.json");
        Path duringRun = work.resolve("during-run.html");
        try (ScriptedEchoServer server = new ScriptedEchoServer(fault)) {
            Loadgen.Outcome o = run(server, "--json", json.toString(), "--html", duringRun.toString());
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(fault == ScriptedEchoServer.Fault.NONE ? 0 : 1);
        }
        Path afterwards = work.resolve("afterwards.html");

        Loadgen.Outcome html = Loadgen.runExactly("html", json.toString(), afterwards.toString());

        assertThat(html.exitCode()).as(html.toString()).isZero();
        assertThat(html.out()).isEmpty();
        assertThat(html.err()).isEmpty();
        assertThat(Files.readString(afterwards)).isEqualTo(Files.readString(duringRun));
        assertThat(Files.mismatch(afterwards, duringRun)).as("the first byte that differs").isEqualTo(-1);
    }

    @Test
    void drawsThePageFromALogThatCarriesTheReportAfterItsText() throws Exception {
        Path duringRun = work.resolve("during-run.html");
        Path log = work.resolve("pod.log");
        try (ScriptedEchoServer server = new ScriptedEchoServer(ScriptedEchoServer.Fault.NONE)) {
            Loadgen.Outcome o = run(server, "--json", "-", "--html", duringRun.toString());
            assertThat(o.exitCode()).as(o.toString()).isZero();
            Files.writeString(log, o.err() + o.out(), StandardCharsets.UTF_8);
        }
        Path afterwards = work.resolve("afterwards.html");

        Loadgen.Outcome html = Loadgen.runExactly("html", log.toString(), afterwards.toString());

        assertThat(html.exitCode()).as(html.toString()).isZero();
        assertThat(Files.mismatch(afterwards, duringRun)).as("the first byte that differs").isEqualTo(-1);
    }

    @Test
    void refusesAFileOfSeveralReportsAndSaysToMergeThem() throws IOException {
        Path log = work.resolve("shards.log");
        Files.writeString(log, "shard 0's text\n{\n  \"options\" : { }\n}\nshard 1's text\n{\n  \"options\" : { }\n}\n");
        Path page = work.resolve("page.html");

        Loadgen.Outcome html = Loadgen.runExactly("html", log.toString(), page.toString());

        assertThat(html.exitCode()).isEqualTo(2);
        assertThat(html.err()).isEqualTo("ricochet loadgen html: " + log + ": 2 reports in it (at line 2, line 6); a"
                + " page draws one: merge a run's shards into one report with 'ricochet loadgen merge --html PAGE "
                + log + "'\n");
        assertThat(page).doesNotExist();
    }

    @Test
    void refusesJsonThatIsNotALoadGeneratorsReport() throws IOException {
        Path other = work.resolve("other.json");
        Files.writeString(other, "{\"options\": {}, \"name\": \"something else\"}\n");
        Path page = work.resolve("page.html");

        Loadgen.Outcome html = Loadgen.runExactly("html", other.toString(), page.toString());

        assertThat(html.exitCode()).isEqualTo(2);
        assertThat(html.err()).isEqualTo("ricochet loadgen html: " + other + ": not a load generator's report (no"
                + " 'target')\n");
        assertThat(page).doesNotExist();
    }

    @Test
    void refusesAReportThatIsNotThere() {
        Path missing = work.resolve("missing.json");

        Loadgen.Outcome html = Loadgen.runExactly("html", missing.toString(), work.resolve("page.html").toString());

        assertThat(html.exitCode()).isEqualTo(2);
        assertThat(html.err()).isEqualTo("ricochet loadgen html: " + missing + ": no such file\n");
    }

    @Test
    void refusesToWriteThePageOverItsReport() throws IOException {
        Path json = work.resolve("run.json");
        Files.writeString(json, "{}\n");

        Loadgen.Outcome html = Loadgen.runExactly("html", json.toString(), work.resolve(".").resolve("run.json").toString());

        assertThat(html.exitCode()).isEqualTo(2);
        assertThat(html.err()).startsWith("ricochet loadgen html: PAGE: ").contains("expected: a file other than REPORT");
        assertThat(json).hasContent("{}");
    }

    @Test
    void refusesAMissingPage() {
        Loadgen.Outcome html = Loadgen.runExactly("html", work.resolve("run.json").toString());

        assertThat(html.exitCode()).isEqualTo(2);
        assertThat(html.err()).isEqualTo("ricochet loadgen html: Missing required parameter: 'PAGE'\n");
    }

    @Test
    void exitsOneWhenThePageCannotBeWritten() throws Exception {
        Path json = work.resolve("run.json");
        try (ScriptedEchoServer server = new ScriptedEchoServer(ScriptedEchoServer.Fault.NONE)) {
            Loadgen.Outcome o = run(server, "--json", json.toString());
            assertThat(o.exitCode()).as(o.toString()).isZero();
        }
        Path page = work.resolve("no-such-folder").resolve("page.html");

        Loadgen.Outcome html = Loadgen.runExactly("html", json.toString(), page.toString());

        assertThat(html.exitCode()).as(html.toString()).isEqualTo(1);
        assertThat(html.err()).isEqualTo("ricochet loadgen html: PAGE: " + page + " (cannot write: no folder "
                + page.getParent() + ")\n");
    }

    @Test
    void helpSaysWhatItReadsAndItsExitCodes() {
        Loadgen.Outcome help = Loadgen.runExactly("html", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("Usage: ricochet loadgen html", "REPORT", "PAGE", "--html",
                "ricochet loadgen merge --html", "Exit codes: 0 the page written; 1");
    }
}
