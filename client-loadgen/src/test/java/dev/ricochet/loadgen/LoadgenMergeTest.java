package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ricochet.loadgen.report.HistogramText;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.testing.RicochetServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ricochet loadgen merge} over the logs of two shards run against the real server, as
 * pods' logs carry their reports ({@code --json -}), and over reports that are not one run's.
 */
class LoadgenMergeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    /** The logs of shards 0 and 1 of one run. */
    private static final List<Path> LOGS = new ArrayList<>();

    @BeforeAll
    static void runTwoShards() throws Exception {
        ExecutorService shards = Executors.newFixedThreadPool(2);
        try (RicochetServerProcess server = new RicochetServerProcess()) {
            // At least 3 s ahead once the server is up: both shards are past their checks by then.
            Instant startAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
            List<Future<Loadgen.Outcome>> runs = new ArrayList<>();
            for (int index = 0; index < 2; index++) {
                String shard = index + "/2";
                runs.add(shards.submit(() -> Loadgen.runExactly("--target", server.echoTarget(), "--connections", "7",
                        "--rate", "400", "--warmup", "500ms", "--duration", "1s", "--shard", shard,
                        "--start-at", startAt.toString(), "--io-threads", "1", "--json", "-")));
            }
            for (int index = 0; index < 2; index++) {
                Loadgen.Outcome o = runs.get(index).get();
                assertThat(o.exitCode()).as(o.toString()).isZero();
                Path log = work.resolve("shard-" + index + ".log");
                Files.writeString(log, o.err() + o.out());
                LOGS.add(log);
            }
        } finally {
            shards.shutdownNow();
        }
    }

    @AfterAll
    static void forget() {
        LOGS.clear();
    }

    private static JsonNode reportIn(Path log) throws IOException {
        String text = Files.readString(log);
        return JSON.readTree(text.substring(text.indexOf("\n{") + 1));
    }

    private static Loadgen.Outcome merge(String... args) {
        List<String> all = new ArrayList<>(List.of("merge"));
        all.addAll(List.of(args));
        return Loadgen.runExactly(all.toArray(String[]::new));
    }

    @Test
    void mergesTheShardsLogsIntoTheReportOfTheWholeRun() throws IOException {
        Path merged = work.resolve("merged.json");
        Loadgen.Outcome o = merge("--json", merged.toString(), LOGS.get(1).toString(), LOGS.get(0).toString());

        assertThat(o.exitCode()).as(o.toString()).isZero();
        JsonNode run = JSON.readTree(merged.toFile());
        JsonNode[] shards = {reportIn(LOGS.get(0)), reportIn(LOGS.get(1))};
        assertThat(run.get("requests").asLong())
                .isEqualTo(shards[0].get("requests").asLong() + shards[1].get("requests").asLong()).isPositive();
        assertThat(run.get("connections_established").asLong()).isEqualTo(7);
        assertThat(run.get("planned_requests_per_second").asDouble()).isEqualTo(400.0);
        assertThat(run.get("options").has("shard")).isFalse();
        assertThat(run.get("options").get("connections").asInt()).isEqualTo(7);
        assertThat(run.has("shard")).as("the whole run's report").isFalse();
        for (String name : List.of("corrected", "uncorrected", "send_lag", "connect_time")) {
            Histogram sum = new Latencies().corrected();
            for (JsonNode shard : shards) {
                HistogramText.addTo(sum, shard.get("histograms").get(name).asText());
            }
            assertThat(HistogramText.decode(run.get("histograms").get(name).asText())).as(name).isEqualTo(sum);
        }
        JsonNode section = run.get("merged");
        assertThat(section.get("shards").asInt()).isEqualTo(2);
        assertThat(section.get("common_start_epoch_ms").asLong()).isEqualTo(Math.max(
                shards[0].get("measure_start_epoch_ms").asLong(), shards[1].get("measure_start_epoch_ms").asLong()));
        assertThat(section.get("per_shard")).extracting(s -> s.get("connections").asInt()).containsExactly(4, 3);
        assertThat(o.out()).startsWith("Ricochet load: echo workload on ")
                .contains("  7 connections (7 established")
                .contains("  Merged         2 shards; measured in common from ")
                .contains("  Shard 0        4 connections").contains("  Shard 1        3 connections");
    }

    @Test
    void addsTheShardsTimelinesByWallClockSecond() throws IOException {
        Path merged = work.resolve("merged-timeline.json");
        Loadgen.Outcome o = merge("--json", merged.toString(), LOGS.get(0).toString(), LOGS.get(1).toString());

        assertThat(o.exitCode()).as(o.toString()).isZero();
        JsonNode run = JSON.readTree(merged.toFile());
        JsonNode[] shards = {reportIn(LOGS.get(0)), reportIn(LOGS.get(1))};
        // The rule: each point in the second nearest its end, from the earliest first point's end.
        long firstEnd = Math.min(shards[0].get("timeline").get(0).get("end_epoch_ms").asLong(),
                shards[1].get("timeline").get(0).get("end_epoch_ms").asLong());
        TreeMap<Long, List<List<JsonNode>>> seconds = new TreeMap<>();
        for (int s = 0; s < 2; s++) {
            for (JsonNode p : shards[s].get("timeline")) {
                long second = Math.round((p.get("end_epoch_ms").asLong() - firstEnd) / 1e3);
                seconds.computeIfAbsent(second, k -> List.of(new ArrayList<>(), new ArrayList<>())).get(s).add(p);
            }
        }
        JsonNode timeline = run.get("timeline");
        assertThat(timeline).hasSize(seconds.size());
        int i = 0;
        long answered = 0;
        for (List<List<JsonNode>> byShard : seconds.values()) {
            JsonNode point = timeline.get(i++);
            String where = "merged point " + i + ": " + point;
            List<JsonNode> both = new ArrayList<>(byShard.get(0));
            both.addAll(byShard.get(1));
            Histogram sum = new Latencies().corrected();
            for (JsonNode p : both) {
                if (p.has("histogram")) {
                    HistogramText.addTo(sum, p.get("histogram").asText());
                }
            }
            assertThat(point.has("histogram")).isEqualTo(sum.getTotalCount() > 0);
            if (point.has("histogram")) {
                assertThat(HistogramText.decode(point.get("histogram").asText())).as(where).isEqualTo(sum);
            }
            assertThat(point.get("latency_corrected_ms").get("samples").asLong()).isEqualTo(sum.getTotalCount());
            assertThat(point.get("answered").asLong()).isEqualTo(both.stream().mapToLong(p -> p.get("answered").asLong()).sum());
            if (both.stream().anyMatch(p -> p.get("stage").asText().equals("measure"))) {
                assertThat(point.get("stage").asText()).isEqualTo("measure");
                // One --start-at: the shards tick at the same instants, so each measured second has both.
                assertThat(byShard).allSatisfy(points -> assertThat(points).as(where).isNotEmpty());
            }
            answered += point.get("answered").asLong();
        }
        assertThat(answered).isEqualTo(shards[0].get("replies_including_warmup").asLong()
                + shards[1].get("replies_including_warmup").asLong());
        assertThat(run.get("verdict").get("passed").asBoolean()).isTrue();
    }

    @Test
    void writesTheMergedJsonAfterTheTextWhenAsked() throws IOException {
        Loadgen.Outcome o = merge(LOGS.get(0).toString(), LOGS.get(1).toString(), "--json", "-");

        assertThat(o.exitCode()).as(o.toString()).isZero();
        JsonNode run = JSON.readTree(o.out().substring(o.out().indexOf("\n{") + 1));
        assertThat(run.get("merged").get("shards").asInt()).isEqualTo(2);
    }

    @Test
    void failsAsTheRunWouldWhenAShardSawAMismatch() throws IOException {
        Path bad = work.resolve("mismatched.log");
        Files.writeString(bad, Files.readString(LOGS.get(1))
                .replaceFirst("(\"errors\" : \\{[^}]*\"mismatch\" : )0", "$11"));

        Loadgen.Outcome o = merge(LOGS.get(0).toString(), bad.toString());

        assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
        assertThat(o.err()).isEqualTo("ricochet loadgen merge: FAILED (replies did not match the protocol)\n");
        assertThat(o.out()).contains("mismatch 1");
    }

    @Test
    void refusesWithOneLineWhenAShardIsMissing() {
        Loadgen.Outcome o = merge(LOGS.get(1).toString());

        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("ricochet loadgen merge: shard 0 of 2 missing (given: shards 1)\n");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void refusesWithOneLineAFileThatIsNotThere() {
        Loadgen.Outcome o = merge(LOGS.get(0).toString(), work.resolve("absent.log").toString());

        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("ricochet loadgen merge: " + work.resolve("absent.log") + ": no such file\n");
    }

    @Test
    void refusesNoFileAtAll() {
        Loadgen.Outcome o = merge();

        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.err()).startsWith("ricochet loadgen merge: Missing required parameter");
    }

    @Test
    void explainsItselfOnHelp() {
        Loadgen.Outcome o = merge("--help");

        assertThat(o.exitCode()).isZero();
        assertThat(o.out()).contains("Usage: ricochet loadgen merge").contains("never averaged");
    }
}
