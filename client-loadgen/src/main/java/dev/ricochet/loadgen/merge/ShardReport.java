package dev.ricochet.loadgen.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ricochet.loadgen.report.LatencyFigures;
import dev.ricochet.loadgen.report.Timeline;
import dev.ricochet.loadgen.run.ClientTls;
import dev.ricochet.loadgen.run.Counts;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.NotUp;
import dev.ricochet.loadgen.run.PhaseTally;
import dev.ricochet.loadgen.run.RunResult;
import dev.ricochet.loadgen.run.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One shard's JSON report ({@code --json}), read back: which part of which run it was, and
 * what it measured, as the {@link RunResult} it was written from.
 *
 * @param source    where it was read, for messages: the file, and the report's place in it
 *                  when the file holds several
 * @param index     the shard's number, from 0
 * @param count     the run's shards
 * @param options   the options echoed by the report, as given or defaulted
 * @param transport the client transport the shard ran on
 * @param reason    why that transport
 * @param ioThreads the shard's event loops
 * @param result    what the shard measured
 * @param tls       how the shard's connections spoke TLS, as its report describes it (no
 *                  context); null for plaintext, or a report from before --tls
 * @param timeline  the shard's points, a second each, in order; none in a report from before
 *                  the load generator wrote them
 */
record ShardReport(String source, int index, int count, ObjectNode options, String transport, String reason,
        int ioThreads, RunResult result, ClientTls tls, List<Timeline.Point> timeline) {

    /**
     * @throws IllegalArgumentException when {@code report} is not a shard's report, or lacks
     *                                  what a merge needs (a report from before the load
     *                                  generator wrote its histograms)
     */
    static ShardReport read(String source, JsonNode report) {
        JsonFields f = new JsonFields(source, report);
        if (report.has("find_rate")) {
            throw new IllegalArgumentException(source + ": the report of a --find-rate search, which runs in one"
                    + " process: there is nothing to merge it with");
        }
        JsonNode shard = report.get("shard");
        if (shard == null) {
            throw new IllegalArgumentException(source + ": the report of a whole run, not of a shard (merge adds up"
                    + " the reports of runs given --shard or --shards)");
        }
        if (!(f.node("options") instanceof ObjectNode options)) {
            throw new IllegalArgumentException(source + ": 'options' is not an object");
        }
        JsonFields s = new JsonFields(source + " shard", shard);
        return new ShardReport(source, s.integer("index"), s.integer("count"), options, f.text("transport"),
                f.text("transport_reason"), f.integer("io_threads"), result(f), tls(report.get("tls")), timeline(f));
    }

    private static ClientTls tls(JsonNode tls) {
        if (tls == null || tls.isNull()) {
            return null;
        }
        return new ClientTls(null, tls.path("provider").asText(), tls.path("provider_reason").asText(),
                ClientTls.Trust.valueOf(tls.path("trust").asText("system").toUpperCase(java.util.Locale.ROOT)),
                tls.path("ca_file").isTextual() ? java.nio.file.Path.of(tls.get("ca_file").asText()) : null,
                tls.path("server_name").asText(),
                tls.path("client_certificate").isTextual() ? java.nio.file.Path.of(tls.get("client_certificate").asText())
                        : null);
    }

    private static RunResult result(JsonFields f) {
        JsonFields measured = f.object("measured");
        JsonFields wholeRun = f.object("whole_run");
        JsonFields connections = f.object("connections");
        JsonFields histograms = f.object("histograms");
        Latencies latencies = new Latencies();
        histograms.addHistogram("corrected", latencies.corrected());
        histograms.addHistogram("uncorrected", latencies.uncorrected());
        histograms.addHistogram("shed", latencies.shed());
        histograms.addHistogram("send_lag", latencies.sendLag());
        Histogram connectTime = histograms.histogram("connect_time");
        Counts counts = Counts.of(wholeRun.number("sent"), wholeRun.number("sent_again"), wholeRun.number("answered"), wholeRun.number("shed"),
                measured.number("answered"), measured.number("shed"), f.number("bytes_sent"),
                f.number("bytes_received"), f.numberOrZero("planned_requests"), measured.number("unanswered_at_end"),
                measured.number("unanswered_at_end_never_sent"));
        RunResult.Errors errors = new RunResult.Errors(f.kinds("errors", ErrorKind.class),
                measured.kinds("failed", ErrorKind.class), wholeRun.kinds("failed", ErrorKind.class),
                f.texts("mismatch_samples"), f.texts("other_error_samples"));
        JsonFields notUp = connections.object("not_up_at_end");
        RunResult.Connections c = new RunResult.Connections(connectTime, connections.number("established"),
                connections.number("reconnects"), connections.kinds("connect_failures", ErrorKind.class),
                connections.kinds("lost", ErrorKind.class), f.integer("connections_open_at_end"),
                notUp.kinds(null, NotUp.class), connections.number("never_up"));
        RunResult.Timing timing = new RunResult.Timing(f.decimal("connect_phase_seconds"),
                f.decimal("warmup_seconds"), f.decimal("seconds"),
                f.number("measure_start_epoch_ms"), f.number("measure_end_epoch_ms"),
                Math.round(f.decimal("loadgen_cpu_seconds") * 1e9));
        double planned = f.node("planned_requests_per_second").isNull() ? 0 : f.decimal("planned_requests_per_second");
        return new RunResult(latencies, counts, errors, c, timing, planned, phases(f));
    }

    /** A rate profile's phases, in order; none when the run had no profile. */
    private static List<PhaseTally> phases(JsonFields f) {
        JsonNode array = f.node().get("phases");
        List<PhaseTally> phases = new ArrayList<>();
        if (array == null) {
            return phases;
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException(f.where() + ": 'phases' is not an array");
        }
        for (int i = 0; i < array.size(); i++) {
            JsonFields phase = new JsonFields(f.where() + " phases[" + i + "]", array.get(i));
            PhaseTally t = PhaseTally.of(phase.number("planned"), phase.number("answered"), phase.number("shed"),
                    phase.number("failed"), phase.number("unanswered_at_end"),
                    phase.number("unanswered_at_end_never_sent"));
            JsonFields histograms = phase.object("histograms");
            histograms.addHistogram("corrected", t.corrected());
            histograms.addHistogram("uncorrected", t.uncorrected());
            phases.add(t);
        }
        return phases;
    }

    /** The shard's timeline, in order; none when the report has none (written before the load generator wrote one). */
    private static List<Timeline.Point> timeline(JsonFields f) {
        JsonNode array = f.node().get("timeline");
        List<Timeline.Point> points = new ArrayList<>();
        if (array == null) {
            return points;
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException(f.where() + ": 'timeline' is not an array");
        }
        for (int i = 0; i < array.size(); i++) {
            JsonFields p = new JsonFields(f.where() + " timeline[" + i + "]", array.get(i));
            points.add(new Timeline.Point(p.decimal("second"), p.number("end_epoch_ms"), p.decimal("interval_seconds"),
                    stage(p), p.integer("connections_up"), p.decimal("requests_per_second"), p.number("answered"),
                    p.number("shed"), p.number("reconnects"), p.kinds("errors", ErrorKind.class),
                    latency(p.object("latency_corrected_ms")), p.textOrNull("histogram")));
        }
        return points;
    }

    private static Stage stage(JsonFields point) {
        String text = point.text("stage");
        for (Stage stage : Stage.values()) {
            if (stage.label().equals(text.toLowerCase(Locale.ROOT))) {
                return stage;
            }
        }
        throw point.invalid("stage", "connect, warmup or measure");
    }

    /** A latency's figures as written: its samples, and each figure in milliseconds. */
    private static LatencyFigures latency(JsonFields figures) {
        Map<String, Double> millis = new LinkedHashMap<>();
        figures.node().properties().forEach(field -> {
            if (!field.getKey().equals("samples")) {
                millis.put(field.getKey(), figures.decimal(field.getKey()));
            }
        });
        return new LatencyFigures(figures.number("samples"), millis);
    }
}
