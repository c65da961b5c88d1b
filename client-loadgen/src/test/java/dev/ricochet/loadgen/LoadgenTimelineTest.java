package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.report.HistogramText;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.Stage;
import dev.ricochet.loadgen.testing.RicochetServerProcess;
import dev.ricochet.loadgen.testing.ScriptedPrimeServer;
import dev.ricochet.loadgen.testing.ScriptedPrimeServer.Fault;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON report's timeline (a point per second, from the connect phase to the end of the
 * measurement) and verdict, of real runs: what the points add up to is what the report says.
 */
class LoadgenTimelineTest {

    @TempDir
    Path work;

    @Test
    void aRunsTimelineHasAPointPerSecondThroughItsStagesAndAddsUpToItsReport() throws Exception {
        Loadgen.Outcome o;
        try (RicochetServerProcess server = new RicochetServerProcess()) {
            // 20 connects at 15 a second: the first point is the connect phase's; a warmup of a
            // second always has one of its own (the ticks fall half a second off the measurement's start).
            o = Loadgen.run(work, "--target", server.echoTarget(), "--connections", "20", "--connect-rate", "15",
                    "--rate", "400", "--warmup", "1s", "--duration", "2s", "--message-size", "16");
        }
        assertThat(o.exitCode()).as(o.toString()).isZero();
        JsonNode r = o.json();
        List<JsonNode> points = points(r);

        List<String> stages = points.stream().map(p -> p.get("stage").asText()).toList();
        assertThat(stages.stream().distinct()).as(o.toString()).containsExactly("connect", "warmup", "measure");
        assertThat(stages.stream().map(s -> Stage.valueOf(s.toUpperCase(Locale.ROOT))).toList()).as("in order").isSorted();
        double last = points.getLast().get("second").asDouble();
        assertThat(points.size()).as("a point a second").isBetween((int) last - 1, (int) Math.ceil(last) + 1);
        double seconds = 0;
        for (int i = 0; i < points.size(); i++) {
            seconds += points.get(i).get("interval_seconds").asDouble();
            assertThat(points.get(i).get("second").asDouble()).as("point %d ends where its intervals add up to", i)
                    .isCloseTo(seconds, within(1e-6));
        }
        assertThat(points.getLast().get("end_epoch_ms").asLong()).isEqualTo(r.get("measure_end_epoch_ms").asLong());
        assertThat(sum(points, "answered")).isEqualTo(r.get("replies_including_warmup").asLong());
        assertThat(sum(points, "errors_total")).isZero();
        for (JsonNode p : points) {
            assertThat(p.get("connections_up").asInt()).isBetween(0, 20);
            if (!p.get("stage").asText().equals("measure")) {
                assertThat(p.get("latency_corrected_ms").get("samples").asLong()).isZero();
                assertThat(p.has("histogram")).isFalse();
            }
            if (!p.get("stage").asText().equals("connect")) {
                assertThat(p.get("connections_up").asInt()).as("all up once the load starts").isEqualTo(20);
            }
        }
        // The latency of every point together is the run's, exactly.
        Histogram all = new Latencies().corrected();
        long samples = 0;
        for (JsonNode p : points) {
            samples += p.get("latency_corrected_ms").get("samples").asLong();
            if (p.has("histogram")) {
                HistogramText.addTo(all, p.get("histogram").asText());
            }
        }
        assertThat(samples).isEqualTo(r.get("latency_corrected_ms").get("samples").asLong()).isPositive();
        assertThat(all).isEqualTo(o.histogram("corrected"));
        // The measurement starts in the middle of its first point, which also holds the warmup's last
        // replies: every measured reply is in a measured point, and every measured point but the first
        // holds measured replies only.
        List<JsonNode> measured = points.stream().filter(p -> p.get("stage").asText().equals("measure")).toList();
        long requests = r.get("requests").asLong();
        assertThat(requests).isPositive().isEqualTo(o.figure("measured", "answered"))
                .isLessThanOrEqualTo(sum(measured, "answered"))
                .isGreaterThanOrEqualTo(sum(measured.subList(1, measured.size()), "answered"));
        JsonNode verdict = r.get("verdict");
        assertThat(verdict.get("passed").asBoolean()).isTrue();
        assertThat(verdict.get("reason").isNull()).isTrue();
    }

    @Test
    void errorsAndReconnectsByKindOverTheTimelineAddUpToTheReportsAndTheVerdictSaysWhyItFailed() throws IOException {
        Loadgen.Outcome o;
        // Each connection answers 30 requests, then resets: errors and reconnects throughout.
        try (ScriptedPrimeServer server = new ScriptedPrimeServer(Fault.RESET, 30, 1, 0)) {
            o = Loadgen.run(work, "--target", server.target(), "--workload", "prime", "--numbers", "6d",
                    "--connections", "2", "--rate", "200", "--warmup", "1s", "--duration", "1500ms");
        }
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
        JsonNode r = o.json();
        List<JsonNode> points = points(r);

        assertThat(r.get("errors").get("reset").asLong()).as(o.toString()).isPositive();
        for (ErrorKind kind : ErrorKind.values()) {
            String name = kind.name().toLowerCase(Locale.ROOT);
            long inTimeline = points.stream().mapToLong(p -> p.get("errors").get(name).asLong()).sum();
            assertThat(inTimeline).as(name).isEqualTo(r.get("errors").get(name).asLong());
        }
        long errors = 0;
        for (JsonNode n : r.get("errors")) {
            errors += n.asLong();
        }
        assertThat(sum(points, "errors_total")).isEqualTo(errors);
        assertThat(sum(points, "reconnects")).isEqualTo(o.figure("connections", "reconnects")).isPositive();
        JsonNode verdict = r.get("verdict");
        assertThat(verdict.get("passed").asBoolean()).isFalse();
        assertThat(verdict.get("reason").asText()).startsWith("error rate ");
        assertThat(o.err()).endsWith("ricochet loadgen: FAILED (" + verdict.get("reason").asText() + ")\n");
    }

    @Test
    void shedRequestsOverTheTimelineAddUpToTheRunsWholeRunSheds() throws IOException {
        Loadgen.Outcome o;
        try (ScriptedPrimeServer server = ScriptedPrimeServer.with(Fault.BUSY_EVERY_SECOND)) {
            o = Loadgen.run(work, "--target", server.target(), "--workload", "prime", "--numbers", "6d",
                    "--connections", "2", "--rate", "200", "--warmup", "1s", "--duration", "1s", "--max-shed-rate", "1");
        }
        assertThat(o.exitCode()).as(o.toString()).isZero();
        List<JsonNode> points = points(o.json());

        assertThat(sum(points, "shed")).isEqualTo(o.figure("whole_run", "shed")).isPositive();
        assertThat(sum(points, "answered")).isEqualTo(o.figure("replies_including_warmup"));
    }

    private static List<JsonNode> points(JsonNode report) {
        List<JsonNode> points = new ArrayList<>();
        report.get("timeline").forEach(points::add);
        assertThat(points).as("the timeline").isNotEmpty();
        return points;
    }

    private static long sum(List<JsonNode> points, String field) {
        return points.stream().mapToLong(p -> p.get(field).asLong()).sum();
    }
}
