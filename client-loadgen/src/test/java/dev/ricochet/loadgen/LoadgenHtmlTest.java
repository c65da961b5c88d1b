package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ricochet.loadgen.testing.RicochetServerProcess;
import dev.ricochet.loadgen.testing.ScriptedEchoServer;
import dev.ricochet.loadgen.testing.ScriptedPrimeServer;
import dev.ricochet.loadgen.testing.TlsEchoServer;
import dev.ricochet.testing.HeadlessChromium;
import dev.ricochet.testing.PageLayout;
import dev.ricochet.testing.ScreenshotCheck;
import dev.ricochet.testing.SelfContainedPage;
import dev.ricochet.testing.TestPki;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --html}: the page of real runs against the real server and a faulty one, read back as
 * its text and as a browser renders it. Every figure checked is the JSON report's, written by
 * the same run.
 */
class LoadgenHtmlTest {

    /** The four charts of the first screen of a run of requests, in page order. */
    private static final List<String> FIRST_SCREEN = List.of("latency-by-percentile", "timeline", "errors",
            "connections");
    /** Where the browser's screenshot of a real run's page is kept (docs/images/loadgen-report.png is one). */
    private static final Path SCREENSHOT = Path.of("target", "html-report", "loadgen-report.png");

    @TempDir
    Path work;

    private static RicochetServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new RicochetServerProcess();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        server.close();
    }

    /** An open-loop run, its page and its JSON report. */
    private Loadgen.Outcome openLoopRun(Path page) {
        Loadgen.Outcome o = Loadgen.run(work, "--target", server.echoTarget(), "--connections", "10", "--rate", "500",
                "--warmup", "1s", "--duration", "2s", "--html", page.toString());
        assertThat(o.exitCode()).as(o.toString()).isZero();
        return o;
    }

    @Test
    void aRunsPageDrawsItsChartsAndStatesTheJsonsVerdictAndPercentiles() {
        Path page = work.resolve("run.html");
        JsonNode json = openLoopRun(page).json();
        RunPageText text = RunPageText.read(page);

        assertThat(text.charts()).containsExactly(
                entry("latency-by-percentile", List.of("corrected", "uncorrected")),
                entry("timeline", List.of("requests/s", "planned/s", "corrected p99")),
                entry("errors", List.of("shed", "reconnects")),
                entry("connections", List.of("connections up")));
        assertThat(json.get("verdict").get("passed").asBoolean()).isTrue();
        assertThat(text.verdict()).isEqualTo("PASSED");
        assertThat(text.title()).isEqualTo("echo load on " + server.echoTarget());
        assertThat(text.row("percentiles", "corrected"))
                .isEqualTo(RunPageText.percentileCells(json.get("latency_corrected_ms")));
        assertThat(text.row("percentiles", "uncorrected"))
                .isEqualTo(RunPageText.percentileCells(json.get("latency_uncorrected_ms")));
        assertThat(text.row("percentiles", "send lag")).isEqualTo(RunPageText.percentileCells(json.get("send_lag_ms")));
        assertThat(text.row("percentiles", "connect time"))
                .isEqualTo(RunPageText.percentileCells(json.get("connect_time_ms")));
        assertThat(text.row("requests", "answered")).containsExactly(count(json.get("measured").get("answered")));
        assertThat(text.row("requests", "answered per second")).containsExactly(
                String.format(Locale.ROOT, "%,.1f", json.get("requests_per_second").asDouble()));
        assertThat(text.row("option-values", "--rate")).containsExactly("500.0");
        assertThat(text.html().split("<svg ", -1)).as("one inline SVG per chart").hasSize(FIRST_SCREEN.size() + 1);
        SelfContainedPage.assertSelfContained(page);
        assertThat(text.html()).doesNotContain("<script").doesNotContain("<link").doesNotContain("<img");
    }

    @Test
    void aRunWithErrorsShowsFailedWithItsReasonAndItsErrorKindsAsSeries() throws Exception {
        Path page = work.resolve("errors.html");
        Loadgen.Outcome o;
        try (ScriptedEchoServer corrupting = new ScriptedEchoServer(ScriptedEchoServer.Fault.CORRUPT_ONE_BYTE)) {
            o = Loadgen.run(work, "--target", corrupting.target(), "--connections", "2", "--warmup", "0s",
                    "--duration", "1s", "--html", page.toString());
        }
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
        JsonNode json = o.json();
        RunPageText text = RunPageText.read(page);

        assertThat(json.get("verdict").get("reason").asText()).isEqualTo("replies did not match the protocol");
        assertThat(text.verdict()).isEqualTo("FAILED: " + json.get("verdict").get("reason").asText());
        assertThat(text.html()).contains("class=\"verdict failed\"");
        assertThat(text.charts().get("errors")).containsExactly("mismatch", "shed", "reconnects");
        assertThat(text.row("requests", "errors, whole run")).containsExactly("1 (mismatch 1)");
        // The sample quotes the bytes ('x'): escaped in the page, the JSON's text when read back.
        String sample = json.get("mismatch_samples").get(0).asText();
        assertThat(sample).contains("'");
        assertThat(text.row("error-samples", "mismatch")).containsExactly(sample);
        assertThat(text.html()).doesNotContain(sample);
    }

    @Test
    void anIdleRunsPageDrawsItsConnectTimesAndConnectionsForWantOfRequests() {
        Path page = work.resolve("idle.html");
        Loadgen.Outcome o = Loadgen.run(work, "--target", server.echoTarget(), "--workload", "idle", "--connections",
                "20", "--warmup", "500ms", "--duration", "1s", "--html", page.toString());
        assertThat(o.exitCode()).as(o.toString()).isZero();
        RunPageText text = RunPageText.read(page);

        assertThat(text.charts()).containsExactly(entry("latency-by-percentile", List.of("connect time")),
                entry("connections", List.of("connections up")), entry("errors", List.of("shed", "reconnects")));
        assertThat(text.html()).contains("Connect time by percentile").contains("The idle workload sends no requests");
        assertThat(text.table("percentiles")).hasSize(2);
        assertThat(text.row("percentiles", "connect time"))
                .isEqualTo(RunPageText.percentileCells(o.json().get("connect_time_ms")));
        assertThat(text.verdict()).isEqualTo("PASSED");
    }

    @Test
    void aRateProfilesPageHasItsPhasesAndPlan() {
        Path page = work.resolve("profile.html");
        Loadgen.Outcome o = Loadgen.run(work, "--target", server.echoTarget(), "--connections", "10", "--warmup",
                "500ms", "--rate-profile", "200:1s,200..600:1s", "--html", page.toString());
        assertThat(o.exitCode()).as(o.toString()).isZero();
        RunPageText text = RunPageText.read(page);

        List<List<String>> phases = text.table("phase-table");
        assertThat(phases).hasSize(3);
        JsonNode second = o.json().get("phases").get(1);
        assertThat(phases.get(2).subList(0, 6)).containsExactly("2", "1", "2", "200.0..600.0",
                count(second.get("planned")), count(second.get("answered")));
        assertThat(text.charts().get("timeline")).contains("planned/s");
    }

    @Test
    void mergeDrawsThePageOfTwoShardsAndAShardItsOwn() throws Exception {
        List<Path> reports = new ArrayList<>();
        Path shardPage = work.resolve("shard-0.html");
        ExecutorService shards = Executors.newFixedThreadPool(2);
        try {
            // Ahead by more than both shards' checks and connect phases take.
            Instant startAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
            List<Future<Loadgen.Outcome>> runs = new ArrayList<>();
            for (int index = 0; index < 2; index++) {
                Path report = work.resolve("shard-" + index + ".json");
                reports.add(report);
                List<String> args = new ArrayList<>(List.of("--target", server.echoTarget(), "--connections", "6",
                        "--rate", "400", "--warmup", "500ms", "--duration", "1s", "--shard", index + "/2", "--start-at",
                        startAt.toString(), "--io-threads", "1", "--json", report.toString()));
                if (index == 0) {
                    args.addAll(List.of("--html", shardPage.toString()));
                }
                runs.add(shards.submit(() -> Loadgen.runExactly(args.toArray(String[]::new))));
            }
            for (Future<Loadgen.Outcome> run : runs) {
                assertThat(run.get().exitCode()).as(run.get().toString()).isZero();
            }
        } finally {
            shards.shutdownNow();
        }
        Path page = work.resolve("merged.html");
        Path json = work.resolve("merged.json");
        Loadgen.Outcome merge = Loadgen.runExactly("merge", "--json", json.toString(), "--html", page.toString(),
                reports.get(0).toString(), reports.get(1).toString());
        assertThat(merge.exitCode()).as(merge.toString()).isZero();
        JsonNode merged = new ObjectMapper().readTree(json.toFile());
        RunPageText text = RunPageText.read(page);

        assertThat(text.title()).isEqualTo("echo load on " + server.echoTarget() + ", 2 shards merged");
        assertThat(text.charts()).containsOnlyKeys(FIRST_SCREEN);
        assertThat(text.verdict()).isEqualTo("PASSED");
        assertThat(text.row("percentiles", "corrected"))
                .isEqualTo(RunPageText.percentileCells(merged.get("latency_corrected_ms")));
        assertThat(text.table("per-shard")).extracting(row -> row.get(0)).containsExactly("shard", "0", "1");
        SelfContainedPage.assertSelfContained(page);
        RunPageText shard = RunPageText.read(shardPage);
        assertThat(shard.title()).isEqualTo("echo load on " + server.echoTarget() + ", shard 0 of 2");
        assertThat(shard.fact("connections")).startsWith("3 of the run's 6 (");
    }

    @Test
    void aTlsRunsPageSaysHowItsConnectionsWereSecured() throws Exception {
        TestPki ca = TestPki.create(work, "page-ca");
        Path page = work.resolve("tls.html");
        Loadgen.Outcome o;
        try (TlsEchoServer tls = new TlsEchoServer(ca.server("localhost", "127.0.0.1"), null)) {
            o = Loadgen.run(work, "--target", tls.target(), "--connections", "2", "--warmup", "0s", "--duration",
                    "500ms", "--tls", "--tls-ca", ca.caFile().toString(), "--tls-provider", "jdk", "--html",
                    page.toString());
        }
        assertThat(o.exitCode()).as(o.toString()).isZero();

        assertThat(RunPageText.read(page).fact("TLS")).isEqualTo("jdk, 127.0.0.1 verified (ca_file trust)");
        assertThat(RunPageText.read(page).fact("result")).isEqualTo(String.format(Locale.ROOT,
                "%,.1f requests/s answered, p99 %.3f ms, 0 errors", o.json().get("requests_per_second").asDouble(),
                o.json().get("latency_corrected_ms").get("p99").asDouble()));
    }

    @Test
    void aBrowserShowsTheSpectrumTheTimelineAndTheVerdictOnTheFirstScreen() throws Exception {
        Path page = work.resolve("run.html");
        JsonNode json = openLoopRun(page).json();
        HeadlessChromium chromium = HeadlessChromium.find();

        RunPageText dom = new RunPageText(chromium.dumpDom(page));
        assertThat(dom.charts().keySet()).containsExactlyElementsOf(FIRST_SCREEN);
        assertThat(dom.verdict()).isEqualTo("PASSED");
        assertThat(dom.row("percentiles", "corrected"))
                .isEqualTo(RunPageText.percentileCells(json.get("latency_corrected_ms")));
        PageLayout layout = chromium.layout(page, "#verdict", "#latency-by-percentile", "#timeline", "#errors",
                "#connections");
        layout.assertVisibleWithoutScrolling();
        BufferedImage shot = chromium.screenshot(page, SCREENSHOT.toAbsolutePath());
        ScreenshotCheck.assertNotBlank(shot);
        for (String chart : FIRST_SCREEN) {
            ScreenshotCheck.assertNotBlank(shot, layout.box("#" + chart).rectangle(), chart);
        }
        assertThat(Files.size(SCREENSHOT)).isPositive();
    }

    @Test
    void aBrowserShowsARunWithErrorsFailedWithItsErrorsOverTimeOnTheFirstScreen() throws Exception {
        Path page = work.resolve("resets.html");
        Loadgen.Outcome o;
        // Each connection answers 30 requests, then resets: errors and reconnects all along the run.
        try (ScriptedPrimeServer resetting = new ScriptedPrimeServer(ScriptedPrimeServer.Fault.RESET, 30, 1, 0)) {
            o = Loadgen.run(work, "--target", resetting.target(), "--workload", "prime", "--numbers", "6d",
                    "--connections", "2", "--rate", "200", "--warmup", "1s", "--duration", "2s", "--html",
                    page.toString());
        }
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
        JsonNode json = o.json();
        HeadlessChromium chromium = HeadlessChromium.find();

        RunPageText dom = new RunPageText(chromium.dumpDom(page));
        assertThat(dom.verdict()).isEqualTo("FAILED: " + json.get("verdict").get("reason").asText());
        assertThat(dom.charts().get("errors")).containsExactly("reset", "shed", "reconnects");
        assertThat(dom.row("percentiles", "corrected"))
                .isEqualTo(RunPageText.percentileCells(json.get("latency_corrected_ms")));
        PageLayout layout = chromium.layout(page, "#verdict", "#latency-by-percentile", "#timeline", "#errors");
        layout.assertVisibleWithoutScrolling();
        BufferedImage shot = chromium.screenshot(page, SCREENSHOT.resolveSibling("loadgen-report-errors.png")
                .toAbsolutePath());
        ScreenshotCheck.assertNotBlank(shot);
        ScreenshotCheck.assertNotBlank(shot, layout.box("#errors").rectangle(), "the errors over time");
    }

    private static String count(JsonNode n) {
        return String.format(Locale.ROOT, "%,d", n.asLong());
    }

    private static <V> java.util.Map.Entry<String, V> entry(String key, V value) {
        return java.util.Map.entry(key, value);
    }
}
