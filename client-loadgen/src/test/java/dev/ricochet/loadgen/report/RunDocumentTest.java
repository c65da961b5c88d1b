package dev.ricochet.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.run.ClientTransport;
import dev.ricochet.loadgen.run.Counts;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.NotUp;
import dev.ricochet.loadgen.run.RunResult;
import dev.ricochet.loadgen.run.Stage;
import dev.ricochet.loadgen.workload.EchoWorkload;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunDocumentTest {

    /** A closed-loop echo run of one connection for a second. */
    private static final LoadSpec SPEC = new LoadSpec(InetSocketAddress.createUnresolved("127.0.0.1", 9090),
            new EchoWorkload(64, 1),
            new LoadSpec.Network(1, 5000, Duration.ofSeconds(5), List.of(), 1,
                    new ClientTransport("nio", null, null, "asked for")),
            new LoadSpec.Timing(Duration.ZERO, Duration.ofSeconds(1)),
            new LoadSpec.Load(1, 0, Duration.ofSeconds(10), null, LoadSpec.Arrivals.UNIFORM),
            new LoadSpec.PassLimits(0, 0, 0.95), LoadSpec.Shard.whole(1, 0));

    private final List<JsonNode> written = new ArrayList<>();
    private final ReportSink recording = written::add;

    @Test
    void handsOneTreeToEverySinkEvenWhenOneFailsToWriteIt() {
        ReportSink failing = report -> {
            throw new IOException("disk full");
        };
        RunDocument document = new RunDocument(Map.of(), false, List.of(failing, recording));

        assertThatThrownBy(() -> document.end(SPEC, result(0))).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(written).hasSize(1);
        assertThat(written.get(0).get("requests").asLong()).isEqualTo(10);
    }

    @Test
    void writesTheVerdictAndTheTimelineJustBeforeTheHistograms() throws IOException {
        new RunDocument(Map.of(), false, List.of(recording)).end(SPEC, result(0));

        List<String> fields = new ArrayList<>();
        written.get(0).fieldNames().forEachRemaining(fields::add);
        assertThat(fields.subList(fields.size() - 3, fields.size())).containsExactly("verdict", "timeline", "histograms");
        JsonNode verdict = written.get(0).get("verdict");
        assertThat(verdict.get("passed").asBoolean()).isTrue();
        assertThat(verdict.get("reason").isNull()).isTrue();
    }

    @Test
    void aFailedRunsVerdictSaysWhy() throws IOException {
        new RunDocument(Map.of(), false, List.of(recording)).end(SPEC, result(1));

        JsonNode verdict = written.get(0).get("verdict");
        assertThat(verdict.get("passed").asBoolean()).isFalse();
        assertThat(verdict.get("reason").asText()).isEqualTo("replies did not match the protocol");
    }

    @Test
    void anUninterruptedRunSaysNull() throws IOException {
        new RunDocument(Map.of(), false, List.of(recording)).end(SPEC, result(0));

        assertThat(written.get(0).get("interrupted").isNull()).isTrue();
    }

    @Test
    void anInterruptedRunSaysBySignalAfterHowLongOfHowLongAndFailsFirstForIt() throws IOException {
        RunResult r = result(1);
        RunResult interrupted = new RunResult(r.latencies(), r.counts(), r.errors(), r.connections(), r.timing(),
                r.plannedPerSecond(), r.phases(), null, null, "SIGINT");
        new RunDocument(Map.of(), false, List.of(recording)).end(SPEC, interrupted);

        JsonNode node = written.get(0).get("interrupted");
        assertThat(node.get("signal").asText()).isEqualTo("SIGINT");
        assertThat(node.get("after_seconds").asDouble()).isEqualTo(1.0);
        assertThat(node.get("of_seconds").asDouble()).isEqualTo(1.0);
        assertThat(node.get("text").asText()).isEqualTo("by SIGINT after 1.0 s of the 1 s measurement");
        JsonNode verdict = written.get(0).get("verdict");
        assertThat(verdict.get("passed").asBoolean()).isFalse();
        assertThat(verdict.get("reason").asText()).isEqualTo("interrupted by SIGINT after 1.0 s of the 1 s measurement;"
                + " and replies did not match the protocol");
    }

    /** The field names the pages are drawn from: renaming one breaks them. */
    @Test
    void writesATimelinePointPerIntervalWithTheAgreedFields() throws IOException {
        RunDocument document = new RunDocument(Map.of(), false, List.of(recording));
        Latencies latencies = new Latencies();
        document.interval(new LoadRun.Interval(1.0, 1_000_000_000L, 1_000, 1, 1, Stage.CONNECT, latencies,
                new Counts(), new Counts(), kinds(ErrorKind.class), 0));
        latencies.uncorrected().recordValue(3_000_000);
        document.interval(new LoadRun.Interval(1.5, 500_000_000L, 1_500, 1, 1, Stage.MEASURE, latencies,
                new Counts(), new Counts(), kinds(ErrorKind.class), 0));
        document.end(SPEC, result(0));

        JsonNode timeline = written.get(0).get("timeline");
        assertThat(timeline).hasSize(2);
        List<String> fields = new ArrayList<>();
        timeline.get(1).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("second", "end_epoch_ms", "interval_seconds", "stage", "connections_up",
                "requests_per_second", "answered", "shed", "reconnects", "errors", "errors_total",
                "latency_corrected_ms", "histogram");
        assertThat(timeline.get(0).has("histogram")).as("no samples, no histogram").isFalse();
        assertThat(timeline.get(0).get("stage").asText()).isEqualTo("connect");
        assertThat(timeline.get(1).get("stage").asText()).isEqualTo("measure");
        assertThat(timeline.get(1).get("interval_seconds").asDouble()).isEqualTo(0.5);
        assertThat(timeline.get(1).get("end_epoch_ms").asLong()).isEqualTo(1_500);
        assertThat(timeline.get(1).get("latency_corrected_ms").get("p99").asDouble()).isCloseTo(3.0, within(0.01));
        List<String> kinds = new ArrayList<>();
        timeline.get(1).get("errors").fieldNames().forEachRemaining(kinds::add);
        assertThat(kinds).containsExactly("refused", "timeout", "no_greeting", "reset", "mismatch", "tls",
                "closed_early", "other");
    }

    /** Ten requests answered; {@code mismatches} replies that did not match. */
    private static RunResult result(long mismatches) {
        Latencies latencies = new Latencies();
        for (int i = 0; i < 10; i++) {
            latencies.corrected().recordValue(1_000_000);
            latencies.uncorrected().recordValue(1_000_000);
        }
        Map<ErrorKind, Long> errors = kinds(ErrorKind.class);
        errors.put(ErrorKind.MISMATCH, mismatches);
        Map<NotUp, Long> notUp = kinds(NotUp.class);
        RunResult.Connections connections = new RunResult.Connections(new Latencies().shed(), 1, 0,
                kinds(ErrorKind.class), kinds(ErrorKind.class), 1, notUp, 0);
        return new RunResult(latencies, Counts.of(10, 0, 10, 0, 10, 0, 660, 640, 0, 0, 0),
                new RunResult.Errors(errors, kinds(ErrorKind.class), kinds(ErrorKind.class), List.of(), List.of()),
                connections, new RunResult.Timing(0.01, 0, 1.0, 1_000, 2_000, 1_000_000), 0);
    }

    private static <K extends Enum<K>> Map<K, Long> kinds(Class<K> kind) {
        Map<K, Long> counts = new EnumMap<>(kind);
        for (K k : kind.getEnumConstants()) {
            counts.put(k, 0L);
        }
        return counts;
    }
}
