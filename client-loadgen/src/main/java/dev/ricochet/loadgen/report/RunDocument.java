package dev.ricochet.loadgen.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ricochet.loadgen.Verdict;
import dev.ricochet.loadgen.run.ClientTls;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.FindRate;
import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.PhaseTally;
import dev.ricochet.loadgen.run.RunResult;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report of a run as one tree, the JSON report's (latencies in milliseconds): every figure
 * of the run, with the options used, its verdict, its timeline (a point per second, collected
 * as the run goes), and last, under {@code histograms}, the latency histograms themselves,
 * encoded, so that {@code ricochet loadgen merge} can add up the reports of a run's shards.
 * Built once, when the run is over, and handed to every sink, in order: the JSON file, a page,
 * each shows the figures of the same tree. Built only when some sink wants it (a run without
 * {@code --json} keeps no timeline).
 */
public final class RunDocument implements Report {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Object> options;
    private final Map<String, JsonNode> sections;
    private final Timeline timeline;
    private final List<ReportSink> sinks;

    /**
     * The report of a run, its timeline collected from its intervals.
     *
     * @param options  the command line's options, by name, reported as given
     * @param openLoop whether the run is open loop ({@link LoadSpec#openLoop}): which latency
     *                 the timeline carries
     * @param sinks    where the report goes, in order
     */
    public RunDocument(Map<String, Object> options, boolean openLoop, List<ReportSink> sinks) {
        this(options, Map.of(), new Timeline(openLoop), sinks);
    }

    /**
     * The report of a run whose timeline is made already (a merged run's).
     *
     * @param sections more top-level sections, by name, written before the verdict (a merged
     *                 report's {@code merged})
     */
    public RunDocument(Map<String, Object> options, Map<String, JsonNode> sections, Timeline timeline,
            List<ReportSink> sinks) {
        this.options = options;
        this.sections = sections;
        this.timeline = timeline;
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void interval(LoadRun.Interval interval) {
        timeline.add(interval);
    }

    /** Builds the tree and hands it to every sink, even when one fails to write it: the first failure is thrown. */
    @Override
    public void end(LoadSpec spec, RunResult result) throws IOException {
        ObjectNode report = build(spec, result);
        EachOf.run(sinks, sink -> sink.write(report));
    }

    /** The whole report of {@code r}, run as {@code spec} says. */
    ObjectNode build(LoadSpec spec, RunResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("options", MAPPER.valueToTree(options));
        root.put("target", spec.target().getHostString() + ":" + spec.target().getPort());
        root.put("workload", spec.workload().name());
        root.put("load_model", spec.load().churn() > 0 ? "churn" : !spec.workload().sendsRequests() ? "none"
                : spec.openLoop() ? "open" : "closed");
        root.put("transport", spec.network().transport().name());
        root.put("transport_reason", spec.network().transport().reason());
        root.put("io_threads", spec.network().ioThreads());
        tls(root, spec.network().tls());
        if (spec.shard().split()) {
            ObjectNode shard = root.putObject("shard");
            shard.put("index", spec.shard().index());
            shard.put("count", spec.shard().count());
            shard.put("connections", spec.shard().connections());
            shard.put("rate", spec.shard().rate());
        }
        root.put("seconds", r.timing().measuredSeconds());
        interrupted(root, spec, r);
        root.put("connections_established", r.connections().established());
        root.put("connect_phase_seconds", r.timing().connectPhaseSeconds());
        root.put("warmup_seconds", r.timing().warmupSeconds());
        root.put("connections_open_at_end", r.connections().openAtEnd());
        root.put("measure_start_epoch_ms", r.timing().measureStartMillis());
        root.put("measure_end_epoch_ms", r.timing().measureEndMillis());
        if (spec.timing().startAt() != null) {
            root.put("start_at_epoch_ms", spec.timing().startAt().toEpochMilli());
        }
        root.put("requests", r.requests());
        root.put("replies_including_warmup", r.wholeRun().answered());
        root.put("requests_per_second", r.requestsPerSecond());
        if (r.plannedPerSecond() > 0) {
            root.put("planned_requests_per_second", r.plannedPerSecond());
            root.put("planned_requests", r.counts().plannedMeasured());
            root.put("achieved_ratio", r.achievedRatio());
        } else {
            root.putNull("planned_requests_per_second");
            root.putNull("planned_requests");
            root.putNull("achieved_ratio");
        }
        root.put("min_achieved_rate", spec.limits().minAchievedRate());
        root.put("bytes_sent", r.counts().bytesSentMeasured());
        root.put("bytes_received", r.counts().bytesReceivedMeasured());
        root.set("connect_time_ms", LatencyFigures.of(r.connections().connectTime()).json());
        root.set("latency_corrected_ms", LatencyFigures.of(r.latencies().leading(spec.openLoop())).json());
        root.set("latency_uncorrected_ms", LatencyFigures.of(r.latencies().uncorrected()).json());
        root.set("latency_shed_ms", LatencyFigures.of(r.latencies().shed()).json());
        if (spec.openLoop()) {
            root.set("send_lag_ms", LatencyFigures.of(r.latencies().sendLag()).json());
        } else {
            root.putNull("send_lag_ms");
        }
        requests(root.putObject("measured"), r.measured());
        ObjectNode whole = root.putObject("whole_run");
        whole.put("sent", r.counts().sentWholeRun());
        whole.put("sent_again", r.counts().sentAgainWholeRun());
        requests(whole, r.wholeRun());
        ObjectNode connections = root.putObject("connections");
        connections.put("established", r.connections().established());
        connections.put("reconnects", r.connections().reconnects());
        kinds(connections.putObject("lost"), r.connections().lost());
        kinds(connections.putObject("connect_failures"), r.connections().connectFailures());
        ObjectNode notUp = connections.putObject("not_up_at_end");
        notUp.put("total", r.connections().notUpAtEndTotal());
        kinds(notUp, r.connections().notUpAtEnd());
        connections.put("never_up", r.connections().neverUp());
        kinds(root.putObject("errors"), r.errors().byKind());
        root.put("error_rate", r.errorRate());
        root.put("max_error_rate", spec.limits().maxErrorRate());
        root.put("shed_rate", r.shedRate());
        root.put("max_shed_rate", spec.limits().maxShedRate());
        root.set("mismatch_samples", MAPPER.valueToTree(r.errors().mismatchSamples()));
        root.set("other_error_samples", MAPPER.valueToTree(r.errors().otherSamples()));
        root.put("loadgen_cpu_us_per_request", r.cpuNanosPerRequest() / 1e3);
        root.put("loadgen_cpu_seconds", r.timing().cpuNanos() / 1e9);
        List<PhaseLine> phases = PhaseLine.of(spec, r);
        if (!phases.isEmpty()) {
            phases(root.putArray("phases"), phases);
        }
        if (r.findRate() != null) {
            findRate(root.putObject("find_rate"), r.findRate());
        }
        if (r.churn() != null) {
            churn(root.putObject("churn"), r.churn(), r.timing().measuredSeconds());
        }
        sections.forEach(root::set);
        verdict(root.putObject("verdict"), Verdict.failure(spec, r));
        timeline(root.putArray("timeline"), timeline.points());
        histograms(root.putObject("histograms"), r);
        return root;
    }

    /**
     * Null when the run ran to its end; else what stopped it ({@code SIGINT}, {@code SIGTERM}),
     * after how many seconds of the measurement, of how many asked (null for a search, which has
     * no set length), and the same in words, as the text report and the verdict say it.
     */
    private static void interrupted(ObjectNode root, LoadSpec spec, RunResult r) {
        if (!r.interrupted()) {
            root.putNull("interrupted");
            return;
        }
        ObjectNode node = root.putObject("interrupted");
        node.put("signal", r.interruptedBy());
        node.put("after_seconds", r.timing().measuredSeconds());
        if (r.findRate() == null) {
            node.put("of_seconds", spec.timing().duration().toNanos() / 1e9);
        } else {
            node.putNull("of_seconds");
        }
        node.put("text", Verdict.interruption(spec, r));
    }

    /** Whether the run passed, and when it did not, why: the exit code's reason. */
    private static void verdict(ObjectNode node, Optional<String> failure) {
        node.put("passed", failure.isEmpty());
        node.put("reason", failure.orElse(null));
    }

    /**
     * A point per interval ({@link Timeline.Point}), each with every error kind, and its
     * latency's histogram only when it has samples.
     */
    private static void timeline(ArrayNode array, List<Timeline.Point> points) {
        for (Timeline.Point p : points) {
            ObjectNode node = array.addObject();
            node.put("second", p.second());
            node.put("end_epoch_ms", p.endMillis());
            node.put("interval_seconds", p.intervalSeconds());
            node.put("stage", p.stage().label());
            node.put("connections_up", p.connectionsUp());
            node.put("requests_per_second", p.requestsPerSecond());
            node.put("answered", p.answered());
            node.put("shed", p.shed());
            node.put("reconnects", p.reconnects());
            kinds(node.putObject("errors"), p.errors());
            node.put("errors_total", p.errorsTotal());
            node.set("latency_corrected_ms", p.latency().json());
            if (p.histogram() != null) {
                node.put("histogram", p.histogram());
            }
        }
    }

    /**
     * The histograms themselves, in nanoseconds, as {@link HistogramText} encodes them: what
     * the figures above are read from, so that the reports of several load generators can be
     * added up exactly.
     */
    private static void histograms(ObjectNode node, RunResult r) {
        node.put("unit", "ns");
        node.put("encoding", "HdrHistogram compressed, base64");
        node.put("corrected", HistogramText.encode(r.latencies().corrected()));
        node.put("uncorrected", HistogramText.encode(r.latencies().uncorrected()));
        node.put("shed", HistogramText.encode(r.latencies().shed()));
        node.put("send_lag", HistogramText.encode(r.latencies().sendLag()));
        node.put("connect_time", HistogramText.encode(r.connections().connectTime()));
    }

    /**
     * With a rate profile, each phase's figures, each request counted in the phase of its planned
     * send time; with its histograms, encoded as the run's are, so that a merge adds the shards'
     * phases up exactly.
     */
    private static void phases(ArrayNode array, List<PhaseLine> phases) {
        for (PhaseLine p : phases) {
            PhaseTally t = p.tally();
            ObjectNode node = array.addObject();
            node.put("phase", p.number());
            node.put("start_seconds", p.startSeconds());
            node.put("end_seconds", p.endSeconds());
            node.put("planned_rate_from", p.fromRate());
            node.put("planned_rate_to", p.toRate());
            tally(node, t, p.answeredPerSecond(), "unanswered_at_end");
        }
    }

    /**
     * A phase's or a step's requests: counts, the answered per second, the unanswered (named
     * {@code unanswered} and {@code unanswered + "_never_sent"}), percentiles and histograms.
     */
    private static void tally(ObjectNode node, PhaseTally t, double answeredPerSecond,
            String unanswered) {
        node.put("planned", t.planned());
        node.put("answered", t.answered());
        node.put("requests_per_second", answeredPerSecond);
        node.put("shed", t.shed());
        node.put("failed", t.failed());
        node.put(unanswered, t.unanswered());
        node.put(unanswered + "_never_sent", t.unansweredNeverSent());
        node.set("latency_corrected_ms", LatencyFigures.of(t.corrected()).json());
        node.set("latency_uncorrected_ms", LatencyFigures.of(t.uncorrected()).json());
        ObjectNode histograms = node.putObject("histograms");
        histograms.put("corrected", HistogramText.encode(t.corrected()));
        histograms.put("uncorrected", HistogramText.encode(t.uncorrected()));
    }

    /**
     * With --find-rate, the search: what it was asked, each step in the order it ran (its
     * window's requests as they stood when it was judged, with their histograms encoded as the
     * phases' are), and its answer.
     */
    private static void findRate(ObjectNode node, FindRate f) {
        LoadSpec.Search s = f.search();
        node.put("goal", s.goal().option());
        node.put("percentile", s.goal().percentile());
        node.put("bound_ms", s.goal().boundNanos() / 1e6);
        node.put("from_per_second", s.fromRate());
        node.put("precision", s.precision());
        node.put("max_steps", s.maxSteps());
        node.put("warmup_seconds", f.warmup().toNanos() / 1e9);
        node.put("window_seconds", f.window().toNanos() / 1e9);
        node.put("settle_seconds", f.settle().toNanos() / 1e9);
        ArrayNode steps = node.putArray("steps");
        for (FindRate.Step step : f.steps()) {
            PhaseTally t = step.window();
            ObjectNode n = steps.addObject();
            n.put("step", step.number());
            n.put("rate_per_second", step.rate());
            n.put("repeat", step.repeat());
            n.put("start_seconds", step.startSeconds());
            n.put("window_start_epoch_ms", step.windowStartMillis());
            n.put("window_end_epoch_ms", step.windowEndMillis());
            tally(n, t, step.answeredPerSecond(), "unanswered_at_judgement");
            n.put("connections_lost", step.connectionsLost());
            ObjectNode errors = n.putObject("errors");
            for (ErrorKind kind : ErrorKind.values()) {
                errors.put(kind.name().toLowerCase(java.util.Locale.ROOT), step.errors().getOrDefault(kind, 0L));
            }
            if (step.goalNanos() >= 0) {
                n.put("goal_value_ms", step.goalNanos() / 1e6);
            } else {
                n.putNull("goal_value_ms");
            }
            n.put("outcome", step.outcome().name().toLowerCase(java.util.Locale.ROOT));
            n.put("held", step.held());
            n.put("reason", step.reason());
        }
        ObjectNode answer = node.putObject("answer");
        if (f.answer().isPresent()) {
            answer.put("rate_per_second", f.answer().getAsLong());
        } else {
            answer.putNull("rate_per_second");
        }
        answer.put("confirmed", f.confirmed());
        if (f.lowestMissed().isPresent()) {
            answer.put("lowest_missed_per_second", f.lowestMissed().getAsLong());
        } else {
            answer.putNull("lowest_missed_per_second");
        }
        answer.put("ending", f.ending().name().toLowerCase(java.util.Locale.ROOT));
        answer.put("steps_searched", f.searched());
        answer.put("text", FindRateText.answer(f));
    }

    /** TLS, null for plaintext: so that a report says how its connections were secured, and by which provider. */
    private static void tls(ObjectNode root, ClientTls tls) {
        if (tls == null) {
            root.putNull("tls");
            return;
        }
        ObjectNode node = root.putObject("tls");
        node.put("provider", tls.provider());
        node.put("provider_reason", tls.providerReason());
        node.put("trust", tls.trust().name().toLowerCase(java.util.Locale.ROOT));
        node.put("insecure", tls.trust() == ClientTls.Trust.INSECURE);
        node.put("ca_file", tls.caFile() == null ? null : tls.caFile().toString());
        node.put("server_name", tls.serverName());
        node.put("client_certificate", tls.clientCertificate() == null ? null : tls.clientCertificate().toString());
    }

    /**
     * With --churn: the connections planned in the measurement and their fates, the rate done;
     * their connect times are {@code connect_time_ms}, from each one's planned start.
     */
    private static void churn(ObjectNode node, RunResult.Churn churn, double seconds) {
        node.put("planned_per_second", churn.perSecond());
        node.put("done_per_second", churn.done() / seconds);
        node.put("planned", churn.planned());
        node.put("done", churn.done());
        node.put("failed", churn.failed());
        node.put("opened_whole_run", churn.openedWholeRun());
        node.put("failed_whole_run", churn.failedWholeRun());
    }

    private static void requests(ObjectNode node, RunResult.Requests requests) {
        node.put("answered", requests.answered());
        node.put("shed", requests.shed());
        node.put("failed_total", requests.failedTotal());
        kinds(node.putObject("failed"), requests.failed());
        node.put("unanswered_at_end", requests.unanswered());
        node.put("unanswered_at_end_never_sent", requests.unansweredUnsent());
        node.put("accounted", requests.accounted());
    }

    private static void kinds(ObjectNode node, Map<? extends Enum<?>, Long> counts) {
        counts.forEach((kind, n) -> node.put(kind.name().toLowerCase(java.util.Locale.ROOT), n));
    }

}
