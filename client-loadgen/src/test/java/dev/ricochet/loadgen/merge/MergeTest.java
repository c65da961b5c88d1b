package dev.ricochet.loadgen.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ricochet.loadgen.report.HistogramText;
import dev.ricochet.loadgen.report.LatencyFigures;
import dev.ricochet.loadgen.report.Timeline;
import dev.ricochet.loadgen.run.Counts;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.PhaseTally;
import dev.ricochet.loadgen.run.RunResult;
import dev.ricochet.loadgen.run.Stage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class MergeTest {

    private static final long HOUR_NANOS = 3_600_000_000_000L;
    private static final long MICROSECOND = 1_000;

    /** The exactness the merge promises: its percentiles are those of every shard's samples together. */
    @Property(tries = 200)
    void mergedHistogramsEqualTheHistogramsOfEveryShardsSamplesTogether(
            @ForAll @Size(min = 2, max = 6) List<@Size(max = 60) List<@LongRange(min = MICROSECOND, max = HOUR_NANOS) Long>> samples) {
        int count = samples.size();
        List<ShardReport> reports = new ArrayList<>();
        Histogram union = new Latencies().corrected();
        for (int index = 0; index < count; index++) {
            long[] nanos = samples.get(index).stream().mapToLong(Long::longValue).toArray();
            reports.add(ShardRun.answering(index, count, nanos).report());
            samples.get(index).forEach(union::recordValue);
        }
        RunResult merged = Merge.of(reports).result();
        assertThat(merged.latencies().corrected()).isEqualTo(union);
        assertThat(merged.latencies().uncorrected()).isEqualTo(union);
        assertThat(merged.requests()).isEqualTo(union.getTotalCount());
    }

    @Test
    void aShardsReportReadsBackAsTheResultItWasWrittenFrom() {
        ShardRun shard = ShardRun.answering(1, 3, 1_000, 2_000_000, 3_000_000_000L);
        shard.counts = Counts.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        shard.errors.put(ErrorKind.TIMEOUT, 11L);
        shard.errors.put(ErrorKind.RESET, 12L);
        shard.failedMeasured.put(ErrorKind.TIMEOUT, 13L);
        shard.failedWholeRun.put(ErrorKind.RESET, 14L);
        shard.mismatchSamples = List.of("at byte 3");
        shard.latencies.shed().recordValue(5_000);
        RunResult written = shard.result();

        ShardReport read = shard.report();

        assertThat(read.index()).isEqualTo(1);
        assertThat(read.count()).isEqualTo(3);
        RunResult r = read.result();
        assertThat(r.counts()).usingRecursiveComparison().isEqualTo(written.counts());
        assertThat(r.errors()).usingRecursiveComparison().isEqualTo(written.errors());
        assertThat(r.connections()).usingRecursiveComparison().ignoringFields("connectTime")
                .isEqualTo(written.connections());
        assertThat(r.connections().connectTime()).isEqualTo(written.connections().connectTime());
        assertThat(r.timing()).isEqualTo(written.timing());
        assertThat(r.plannedPerSecond()).isEqualTo(written.plannedPerSecond());
        assertThat(r.latencies().corrected()).isEqualTo(written.latencies().corrected());
        assertThat(r.latencies().uncorrected()).isEqualTo(written.latencies().uncorrected());
        assertThat(r.latencies().shed()).isEqualTo(written.latencies().shed());
    }

    @Test
    void sumsTheShardsAndStatesTheWindowTheyMeasuredInCommon() {
        ShardRun first = ShardRun.answering(0, 2, 1_000_000, 1_000_000);
        ShardRun second = ShardRun.answering(1, 2, 3_000_000);
        second.measureStartMillis = first.measureStartMillis + 7;
        second.measureEndMillis = first.measureEndMillis + 20;
        second.errors.put(ErrorKind.TIMEOUT, 2L);

        MergedRun run = Merge.of(List.of(second.report(), first.report()));

        assertThat(run.shards()).extracting(ShardReport::index).containsExactly(0, 1);
        RunResult r = run.result();
        assertThat(r.requests()).isEqualTo(3);
        assertThat(r.counts().plannedMeasured()).isEqualTo(3);
        assertThat(r.errors().byKind().get(ErrorKind.TIMEOUT)).isEqualTo(2);
        assertThat(r.plannedPerSecond()).isCloseTo(ShardRun.RATE, within(1e-9));
        assertThat(r.connections().established()).isEqualTo(ShardRun.CONNECTIONS);
        assertThat(run.commonStart()).isEqualTo(second.measureStartMillis);
        assertThat(run.commonEnd()).isEqualTo(first.measureEndMillis);
        assertThat(run.startSkewMillis()).isEqualTo(7);
        assertThat(run.endSkewMillis()).isEqualTo(20);
        assertThat(r.timing().measuredSeconds()).as("the shards' mean").isCloseTo(1.0065, within(1e-9));
        assertThat(run.spec().network().connections()).isEqualTo(ShardRun.CONNECTIONS);
        assertThat(run.spec().load().rate()).isEqualTo(ShardRun.RATE);
        assertThat(run.spec().shard().split()).isFalse();
    }

    @Test
    void saysWhenTheShardsMeasuredMostlyApart() {
        ShardRun late = ShardRun.answering(1, 2, 1_000_000);
        late.measureStartMillis += 500;
        late.measureEndMillis += 500;
        MergedRun run = Merge.of(List.of(ShardRun.answering(0, 2, 1_000_000).report(), late.report()));
        ByteArrayOutputStream text = new ByteArrayOutputStream();

        new MergeReport(new PrintStream(text, true, StandardCharsets.UTF_8), run).end(run.spec(), run.result());

        assertThat(text.toString(StandardCharsets.UTF_8)).contains("(0.500 s): starts 500 ms apart, ends 500 ms apart;"
                + " only 50% of a shard's measurement, so the shards' rates were not all offered at once (start them"
                + " with one --start-at)");
    }

    @Test
    void refusesAReportWhoseOptionsLackOneTheRunNeeds() {
        ShardRun first = new ShardRun(0, 2);
        ShardRun second = new ShardRun(1, 2);
        first.options.remove("pipeline");
        second.options.remove("pipeline");
        MergedRun run = Merge.of(reports(first, second));

        assertThatThrownBy(run::spec).hasMessage("shard-0.json options: no 'pipeline' (written by an older load generator,"
                + " or not a load generator's report)");
    }

    @Test
    void refusesTheReportOfAWholeRun() {
        ShardRun whole = ShardRun.answering(0, 1, 1_000);
        assertThatThrownBy(whole::report).hasMessage("shard-0.json: the report of a whole run, not of a shard (merge"
                + " adds up the reports of runs given --shard or --shards)");
    }

    @Test
    void refusesAMissingShard() {
        assertThatThrownBy(() -> Merge.of(reports(new ShardRun(0, 3), new ShardRun(2, 3))))
                .hasMessage("shard 1 of 3 missing (given: shards 0, 2)");
    }

    @Test
    void refusesAShardGivenTwice() {
        assertThatThrownBy(() -> Merge.of(List.of(new ShardRun(0, 2).report(), new ShardRun(1, 2).report(),
                ShardReports.parse("again.json", new ShardRun(1, 2).json()).get(0))))
                .hasMessage("shard 1 of 2 given twice: shard-1.json and again.json");
    }

    @Test
    void refusesShardsOfRunsSplitDifferently() {
        assertThatThrownBy(() -> Merge.of(reports(new ShardRun(0, 2), new ShardRun(1, 3))))
                .hasMessage("shard-1.json is a shard of 3, shard-0.json of 2: not shards of one run");
    }

    @Test
    void refusesShardsOfAnotherTargetWorkloadOrOption() {
        ShardRun other = new ShardRun(1, 2);
        other.options.put("rate", 200.0);
        assertThatThrownBy(() -> Merge.of(reports(new ShardRun(0, 2), other)))
                .hasMessage("shard-1.json is not of the run of shard-0.json: --rate 200.0 against 100.0");
        ShardRun elsewhere = new ShardRun(1, 2);
        elsewhere.options.put("target", "127.0.0.2:9090");
        assertThatThrownBy(() -> Merge.of(reports(new ShardRun(0, 2), elsewhere)))
                .hasMessage("shard-1.json is not of the run of shard-0.json: --target 127.0.0.2:9090 against 127.0.0.1:9090");
    }

    @Test
    void refusesMeasurementsThatDoNotOverlap() {
        ShardRun late = new ShardRun(1, 2);
        late.measureStartMillis += 1_000; // starts as the first ends
        late.measureEndMillis += 1_000;
        assertThatThrownBy(() -> Merge.of(reports(new ShardRun(0, 2), late)))
                .hasMessage("the measurements do not overlap: shard 0 (shard-0.json) measured 2027-01-15T08:00:00Z to"
                        + " 2027-01-15T08:00:01Z, shard 1 (shard-1.json) 2027-01-15T08:00:01Z to 2027-01-15T08:00:02Z"
                        + " (start the shards with one --start-at)");
    }

    /** A shard on a two-phase profile whose phases answered requests of the given latencies. */
    private static ShardRun onProfile(int index, long[] first, long[] second) {
        ShardRun shard = new ShardRun(index, 2).onProfile("60:500ms,20..100:1500ms");
        long[][] latencies = {first, second};
        for (int p = 0; p < 2; p++) {
            PhaseTally phase = PhaseTally.of(latencies[p].length + 2, latencies[p].length, 1, p, 1 - p, 0);
            for (long nanos : latencies[p]) {
                phase.corrected().recordValue(nanos);
                phase.uncorrected().recordValue(nanos / 2);
            }
            shard.phases = p == 0 ? List.of(phase, shard.phases.get(1)) : List.of(shard.phases.get(0), phase);
        }
        return shard;
    }

    @Test
    void aShardsPhasesReadBackAsTheyWereWritten() {
        ShardRun shard = onProfile(1, new long[] {1_000_000, 2_000_000}, new long[] {30_000_000});

        RunResult read = shard.report().result();

        assertThat(read.phases()).hasSize(2);
        for (int p = 0; p < 2; p++) {
            PhaseTally written = shard.phases.get(p);
            PhaseTally back = read.phases().get(p);
            assertThat(back).usingRecursiveComparison().ignoringFields("corrected", "uncorrected").isEqualTo(written);
            assertThat(back.corrected()).isEqualTo(written.corrected());
            assertThat(back.uncorrected()).isEqualTo(written.uncorrected());
        }
    }

    @Test
    void addsTheShardsPhasesUpExactly() {
        ShardRun first = onProfile(0, new long[] {1_000_000, 2_000_000}, new long[] {30_000_000});
        ShardRun second = onProfile(1, new long[] {4_000_000}, new long[] {50_000_000, 70_000_000, 90_000_000});

        MergedRun run = Merge.of(List.of(second.report(), first.report()));

        List<PhaseTally> phases = run.result().phases();
        assertThat(phases).extracting(PhaseTally::answered).containsExactly(3L, 4L);
        assertThat(phases).extracting(PhaseTally::planned).containsExactly(7L, 8L);
        assertThat(phases).extracting(PhaseTally::failed).containsExactly(0L, 2L);
        assertThat(phases).extracting(PhaseTally::unanswered).containsExactly(2L, 0L);
        for (int p = 0; p < 2; p++) {
            Histogram union = new Latencies().corrected();
            union.add(first.phases.get(p).corrected());
            union.add(second.phases.get(p).corrected());
            assertThat(phases.get(p).corrected()).as("phase %d", p).isEqualTo(union);
        }
        assertThat(run.spec().load().profile()).hasToString("60:500ms,20..100:1500ms");
        assertThat(run.spec().timing().duration()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(run.spec().load().rate()).as("the profile's mean").isEqualTo(60.0);
    }

    @Test
    void refusesShardsThatRanDifferentProfiles() {
        ShardRun first = new ShardRun(0, 2).onProfile("60:500ms,20..100:1500ms");
        ShardRun second = new ShardRun(1, 2).onProfile("60:500ms,20..100:1500ms");
        second.options.put("rate_profile", "60:500ms,20..200:1500ms");

        assertThatThrownBy(() -> Merge.of(reports(first, second))).hasMessage("shard-1.json is not of the run of"
                + " shard-0.json: --rate-profile 60:500ms,20..200:1500ms against 60:500ms,20..100:1500ms");
        assertThatThrownBy(() -> Merge.of(reports(first, new ShardRun(1, 2)))).hasMessage("shard-1.json is not of"
                + " the run of shard-0.json: --duration PT1S against PT2S");
    }

    @Test
    void readsEveryReportALogCarriesAmongItsOtherLines() {
        String log = "[    1s] connections 5/5  requests/s 50  p99 1.0ms  errors 0\n"
                + "Ricochet load: echo workload on 127.0.0.1:9090 for 1.0 s (after 0s warmup), shard 0 of 2\n"
                + new ShardRun(0, 2).json()
                + "Ricochet load: echo workload on 127.0.0.1:9090 for 1.0 s (after 0s warmup), shard 1 of 2\n"
                + new ShardRun(1, 2).json();

        List<ShardReport> reports = ShardReports.parse("pods.log", log);

        assertThat(reports).extracting(ShardReport::index).containsExactly(0, 1);
        assertThat(reports.get(0).source()).isEqualTo("pods.log line 3");
        assertThat(reports.get(1).source()).startsWith("pods.log line ");
    }

    @Test
    void refusesAFileWithoutAReportOrWithABrokenOne() {
        assertThatThrownBy(() -> ShardReports.parse("empty.log", "nothing here\n"))
                .hasMessage("empty.log: no report in it (expected what --json writes, or a log that carries it,"
                        + " written by --json -)");
        String json = new ShardRun(0, 2).json();
        assertThatThrownBy(() -> ShardReports.parse("cut.log", json.substring(0, json.length() / 2)))
                .hasMessageStartingWith("cut.log line 1: a report that is not whole JSON (");
        assertThatThrownBy(() -> ShardReports.parse("old.json", json.replace("\"histograms\"", "\"old\"")))
                .hasMessage("old.json: no 'histograms' (written by an older load generator, or not a load generator's"
                        + " report)");
        String broken = json.replaceFirst("\"corrected\" : \"[^\"]*\"", "\"corrected\" : \"bm90\"");
        assertThatThrownBy(() -> ShardReports.parse("broken.json", broken))
                .hasMessageStartingWith("broken.json histograms: 'corrected' is not an encoded histogram");
    }

    @Test
    void addsTheShardsTimelinesByWallClockSecond() {
        long t = 1_800_000_000_000L;
        ShardRun first = ShardRun.answering(0, 2, 1_000_000);
        ShardRun second = ShardRun.answering(1, 2, 1_000_000);
        first.timeline = List.of(point(t + 1_000, 1.0, 1.0, Stage.WARMUP, 5, 100, 1),
                point(t + 2_000, 2.0, 1.0, Stage.MEASURE, 5, 200, 0, 2_000_000, 4_000_000),
                point(t + 2_400, 2.4, 0.4, Stage.MEASURE, 4, 80, 0, 8_000_000));
        // Started 190 ms before the first, ticking 10 ms after it; its last point 10 ms before the first's.
        second.timeline = List.of(point(t + 1_010, 1.2, 1.0, Stage.CONNECT, 3, 0, 2),
                point(t + 2_005, 2.195, 1.0, Stage.MEASURE, 5, 300, 0, 3_000_000),
                point(t + 2_390, 2.58, 0.385, Stage.MEASURE, 5, 77, 1, 5_000_000));

        List<Timeline.Point> merged = Merge.of(reports(first, second)).timeline();

        assertThat(merged).hasSize(2);
        Timeline.Point one = merged.get(0);
        assertThat(one.stage()).as("the furthest a shard had reached").isEqualTo(Stage.WARMUP);
        assertThat(one.answered()).isEqualTo(100);
        assertThat(one.requestsPerSecond()).isEqualTo(100.0);
        assertThat(one.connectionsUp()).isEqualTo(8);
        assertThat(one.errors().get(ErrorKind.REFUSED)).isEqualTo(3);
        assertThat(one.errorsTotal()).isEqualTo(3);
        assertThat(one.histogram()).isNull();
        assertThat(one.latency().samples()).isZero();
        assertThat(one.endMillis()).as("the latest end among its points").isEqualTo(t + 1_010);
        assertThat(one.second()).as("from the earliest start of a shard's run").isCloseTo(1.2, within(1e-9));
        Timeline.Point two = merged.get(1);
        assertThat(two.stage()).isEqualTo(Stage.MEASURE);
        assertThat(two.answered()).isEqualTo(200 + 80 + 300 + 77);
        assertThat(two.requestsPerSecond()).as("each shard's own rate over its points in the second, added")
                .isCloseTo(280 / 1.4 + 377 / 1.385, within(1e-9));
        assertThat(two.connectionsUp()).as("each shard's at its last point in the second").isEqualTo(4 + 5);
        assertThat(two.intervalSeconds()).isCloseTo(1.4, within(1e-9));
        assertThat(two.endMillis()).isEqualTo(t + 2_400);
        assertThat(two.errors().get(ErrorKind.REFUSED)).isEqualTo(1);
        Histogram sum = new Latencies().corrected();
        for (long nanos : new long[] {2_000_000, 4_000_000, 8_000_000, 3_000_000, 5_000_000}) {
            sum.recordValue(nanos);
        }
        assertThat(HistogramText.decode(two.histogram())).isEqualTo(sum);
        assertThat(two.latency()).as("read from the sum").isEqualTo(LatencyFigures.of(sum));
    }

    @Test
    void aShardsTimelineReadsBackAsItWasWritten() {
        ShardRun shard = ShardRun.answering(0, 2, 1_000_000);
        shard.timeline = List.of(point(1_000, 1.0, 1.0, Stage.CONNECT, 3, 0, 2),
                point(2_000, 2.0, 1.0, Stage.MEASURE, 5, 300, 0, 3_000_000, 7_000_000));

        assertThat(shard.report().timeline()).isEqualTo(shard.timeline);
    }

    @Test
    void reportsWrittenBeforeTheTimelineMergeWithoutOne() {
        ShardRun first = ShardRun.answering(0, 2, 1_000_000);
        first.timeline = List.of(point(1_000, 1.0, 1.0, Stage.MEASURE, 5, 100, 0, 1_000_000));
        String old = ShardRun.answering(1, 2, 1_000_000).json().replaceFirst("\"timeline\" : \\[ \\],\\s*", "");
        assertThat(old).doesNotContain("timeline");

        MergedRun run = Merge.of(List.of(first.report(), ShardReports.parse("old.json", old).get(0)));

        assertThat(run.timeline()).isEmpty();
        assertThat(run.result().requests()).isEqualTo(2);
    }

    @Test
    void refusesATimelinePointOfAStageItDoesNotKnow() {
        ShardRun shard = ShardRun.answering(0, 2, 1_000_000);
        shard.timeline = List.of(point(1_000, 1.0, 1.0, Stage.MEASURE, 5, 100, 0, 1_000_000));
        String json = shard.json().replace("\"stage\" : \"measure\"", "\"stage\" : \"cooldown\"");

        assertThatThrownBy(() -> ShardReports.parse("odd.json", json))
                .hasMessage("odd.json timeline[0]: 'stage' is \"cooldown\" (expected: connect, warmup or measure)");
    }

    /**
     * A point of a shard's timeline, {@code answered} over {@code seconds}, {@code refused}
     * errors, and the latencies {@code nanos}.
     */
    private static Timeline.Point point(long endMillis, double second, double seconds, Stage stage, int up,
            long answered, long refused, long... nanos) {
        Histogram h = new Latencies().corrected();
        for (long n : nanos) {
            h.recordValue(n);
        }
        Map<ErrorKind, Long> errors = ShardRun.kinds(ErrorKind.class);
        errors.put(ErrorKind.REFUSED, refused);
        return new Timeline.Point(second, endMillis, seconds, stage, up, answered / seconds, answered, 0, 0, errors,
                LatencyFigures.of(h), h.getTotalCount() > 0 ? HistogramText.encode(h) : null);
    }

    private static List<ShardReport> reports(ShardRun... shards) {
        return IntStream.range(0, shards.length).mapToObj(i -> shards[i].report()).toList();
    }
}
