package dev.ricochet.loadgen.report;

import dev.ricochet.loadgen.Verdict;
import dev.ricochet.loadgen.run.ClientTls;
import dev.ricochet.loadgen.run.Counts;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.FindRate;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.Millis;
import dev.ricochet.loadgen.run.NotUp;
import dev.ricochet.loadgen.run.PhaseTally;
import dev.ricochet.loadgen.run.RunResult;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The human-readable report, in the spirit of wrk's, at the end on standard output; and the
 * once-a-second progress line, on standard error.
 */
public final class TextReport implements Report {

    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param out where the report goes at the end
     * @param err where the progress lines go
     */
    public TextReport(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void interval(LoadRun.Interval tick) {
        Histogram corrected = tick.latencies().corrected();
        long shed = tick.soFar().shedWholeRun();
        // A churn run has no target: its connections come and go. Before the measurement, the
        // stage the timeline says: connect, or warmup.
        err.printf(Locale.ROOT, "[%5.0fs]%s connections %d%s  requests/s %.0f  p99 %s  errors %d%s%n",
                tick.elapsedSeconds(), tick.measuring() ? "" : " " + tick.stage().label(), tick.open(),
                tick.target() == 0 ? " open" : "/" + tick.target(),
                tick.requestsPerSecond(), corrected.getTotalCount() == 0 ? "-" : millis(corrected
                        .getValueAtPercentile(99)), tick.errorsSoFar(), shed == 0 ? "" : "  shed " + shed);
    }

    /** With --find-rate, a line per step as it is judged. */
    @Override
    public void step(FindRate.Step step) {
        err.printf(Locale.ROOT, "[step %d] %s requests/s%s: %s%n", step.number(), FindRateText.rate(step.rate()),
                step.repeat() ? " (the answer, repeated)" : "", step.held() ? "held, " + goalFigure(step) : step
                        .outcome().name().toLowerCase(Locale.ROOT) + ": " + step.reason());
    }

    private static String goalFigure(FindRate.Step step) {
        return step.goalNanos() < 0 ? "no samples" : Millis.of(step.goalNanos());
    }

    private static String loadModel(LoadSpec spec) {
        if (spec.load().churn() > 0) {
            return "Churn: " + spec.load().churn() + " connections opened a second, each " + cycle(spec) + ", then"
                    + " closed";
        }
        if (!spec.workload().sendsRequests()) {
            return "holding them without requests";
        }
        if (!spec.openLoop()) {
            return "closed loop, pipeline " + spec.load().pipeline();
        }
        if (spec.load().search() != null) {
            return "open loop at each step's rate" + (spec.load().arrivals().poisson() ? ", poisson arrivals" : "")
                    + ", pipeline " + spec.load().pipeline();
        }
        String rate = spec.load().profile() == null
                ? String.format(Locale.ROOT, "open loop at %.0f requests/s", spec.load().rate())
                : String.format(Locale.ROOT, "open loop on rate profile %s (%smean %.0f requests/s)",
                        spec.load().profile(), spec.shard().split() ? "the run's; this shard's " : "",
                        spec.load().rate());
        return rate + (spec.load().arrivals().poisson() ? ", poisson arrivals" : "") + ", pipeline "
                + spec.load().pipeline();
    }

    /** What a connection does before it is up: what its connect time covers. */
    private static String cycle(LoadSpec spec) {
        return "connected" + (spec.network().tls() != null ? ", TLS handshake done" : "")
                + (spec.workload().greeting().length > 0 ? " and greeted" : "")
                + (spec.load().churn() > 0 && spec.workload().sendsRequests() ? ", one request verified" : "");
    }

    /** Over TLS, said in the header's first line, with a warning when any certificate is trusted. */
    private static String overTls(LoadSpec spec) {
        ClientTls tls = spec.network().tls();
        if (tls == null) {
            return "";
        }
        return tls.trust() == ClientTls.Trust.INSECURE ? " over TLS, INSECURE (any server certificate trusted)"
                : " over TLS";
    }

    /** Which part of a split run this is; nothing for a whole run. */
    private static String shard(LoadSpec.Shard shard) {
        return shard.split() ? ", shard " + shard.index() + " of " + shard.count() : "";
    }

    /** The warmup asked for, or, when a late connect phase cut it (--start-at), what was left of it. */
    private static String warmup(Duration asked, double ranSeconds) {
        String text = asked.toString().substring(2).toLowerCase(Locale.ROOT);
        // A warmup runs its length or a few milliseconds more; a cut one is plainly shorter.
        if (ranSeconds >= asked.toNanos() / 1e9 - 0.05) {
            return text + " warmup";
        }
        return String.format(Locale.ROOT, "a warmup of %.1f s, cut from %s by a late connect phase", ranSeconds, text);
    }

    /** With --start-at: when the measurement began against when it was to begin; nothing without. */
    private static String startedAt(Instant startAt, long measureStartMillis) {
        if (startAt == null) {
            return "";
        }
        long lateMillis = measureStartMillis - startAt.toEpochMilli();
        return ", measured from " + startAt + (lateMillis > 0 ? " + " + lateMillis + " ms" : "");
    }

    @Override
    public void end(LoadSpec spec, RunResult r) {
        double seconds = r.timing().measuredSeconds();
        Latencies latencies = r.latencies();
        Counts counts = r.counts();
        RunResult.Connections c = r.connections();
        if (r.findRate() != null) {
            out.printf(Locale.ROOT, "Ricochet load: %s workload on %s for %.1f s: a search for the highest rate with"
                    + " corrected %s, %d steps%n", spec.workload().name(), spec.target().getHostString() + ":"
                    + spec.target().getPort() + overTls(spec), seconds, r.findRate().search().goal(), r.findRate().steps().size());
        } else {
            out.printf(Locale.ROOT, "Ricochet load: %s workload on %s%s for %.1f s (after %s)%s%s%n",
                    spec.workload().name(), spec.target().getHostString() + ":" + spec.target().getPort(), overTls(spec),
                    seconds,
                    warmup(spec.timing().warmup(), r.timing().warmupSeconds()), shard(spec.shard()),
                    startedAt(spec.timing().startAt(), r.timing().measureStartMillis()));
        }
        if (r.interrupted()) {
            out.printf(Locale.ROOT, "  INTERRUPTED    %s: the figures below cover what ran of it%n",
                    Verdict.interruption(spec, r));
        }
        if (r.churn() != null) {
            // No fixed number of connections: each planned connect opens its own.
            out.printf(Locale.ROOT, "  %s; %d connections opened (warmup included), %d I/O threads, %s%n",
                    loadModel(spec), r.churn().openedWholeRun(), spec.network().ioThreads(), spec.network().transport());
        } else {
            out.printf(Locale.ROOT, "  %d connections (%d established%s, %d up at the end), %s, %d I/O threads, %s%n",
                    spec.network().connections(), c.established(), c.reconnects() == 0 ? ""
                            : " counting " + c.reconnects() + " reconnects", c.openAtEnd(), loadModel(spec),
                    spec.network().ioThreads(), spec.network().transport());
        }
        if (spec.network().tls() != null) {
            out.printf("  TLS            %s%n", spec.network().tls().describe());
        }
        if (r.churn() != null) {
            churn(r.churn(), c, r.timing().measuredSeconds(), spec);
        } else {
            out.printf(Locale.ROOT, "  Connect time   %s   (until up: %s); every first attempt up or failed in %.2f s,"
                    + " then the load started%n", line(c.connectTime()), cycle(spec), r.timing().connectPhaseSeconds());
        }
        if (r.findRate() != null) {
            out.println("  Whole search   the figures down to the steps cover every step (warmup, window and settle, at"
                    + " every rate tried); the steps table judges each step's window");
        }
        if (r.churn() != null) {
            // Nothing more to say of requests: each connection's one request is part of its cycle.
        } else if (spec.openLoop()) {
            out.printf("  Latency        %s   (corrected for coordinated omission, from the planned send)%n",
                    line(latencies.corrected()));
            out.printf("  Latency        %s   (uncorrected: from the actual send)%n", line(latencies.uncorrected()));
            out.printf("  Send lag       %s   (pacing: how late each request left after its planned send)%n",
                    line(latencies.sendLag()));
        } else if (spec.workload().sendsRequests()) {
            out.printf("  Latency        %s   (closed loop: nothing to correct)%n", line(latencies.uncorrected()));
        }
        if (spec.workload().sendsRequests() && r.churn() == null) {
            RunResult.Requests m = r.measured();
            out.printf(Locale.ROOT, "  Requests       %d answered, %d shed, %d failed%s, %d unanswered at the end%s%n",
                    m.answered(), m.shed(), m.failedTotal(), kinds(m.failed()), m.unanswered(), m.unansweredUnsent() == 0 ? ""
                            : String.format(Locale.ROOT, " (%d of them never sent)", m.unansweredUnsent()));
        }
        if (counts.sentAgainWholeRun() > 0) {
            out.printf(Locale.ROOT, "  Sent again     %d requests, each on a new connection: the server had closed theirs in"
                    + " order before any byte of their replies (whole run)%n", counts.sentAgainWholeRun());
        }
        if (latencies.shed().getTotalCount() > 0) {
            out.printf("  Shed latency   %s   (busy replies, from the planned send)%n", line(latencies.shed()));
        }
        if (r.churn() != null) {
            // no requests/s, no transfer: the churn line says what was done per second
        } else if (r.findRate() != null) {
            out.printf(Locale.ROOT, "  Requests/sec   %.1f answered, %.1f planned (the search's mean)%n",
                    r.requestsPerSecond(), r.plannedPerSecond());
        } else if (r.plannedPerSecond() > 0) {
            out.printf(Locale.ROOT, "  Requests/sec   %.1f answered, %.1f planned; of %d requests planned in the measurement,"
                    + " %.1f%% answered or shed (limit %.1f%%)%n", r.requestsPerSecond(), r.plannedPerSecond(),
                    counts.plannedMeasured(), 100 * r.achievedRatio(), 100 * spec.limits().minAchievedRate());
        } else {
            out.printf(Locale.ROOT, "  Requests/sec   %.1f%n", r.requestsPerSecond());
        }
        if (r.churn() == null) {
            out.printf(Locale.ROOT, "  %d requests in %.2f s, %s sent, %s received%n", r.requests(), seconds,
                    bytes(counts.bytesSentMeasured()), bytes(counts.bytesReceivedMeasured()));
            out.printf(Locale.ROOT, "  Transfer/sec   %s%n",
                    bytes((long) ((counts.bytesSentMeasured() + counts.bytesReceivedMeasured()) / seconds)));
        }
        phases(PhaseLine.of(spec, r));
        out.printf(Locale.ROOT, "  Connections    %d established, %d reconnects, %d lost%s, %d failed connects%s%n",
                c.established(), c.reconnects(), c.lostTotal(), kinds(c.lost()), c.connectFailuresTotal(),
                kinds(c.connectFailures()));
        if (c.notUpAtEndTotal() > 0 || c.neverUp() > 0) {
            StringBuilder where = new StringBuilder();
            c.notUpAtEnd().forEach((state, n) -> {
                if (n > 0) {
                    where.append(where.isEmpty() ? ": " : ", ").append(n).append(' ').append(state.label());
                }
            });
            out.printf(Locale.ROOT, "  Not up         %d of %d connections at the end%s; %d never came up%s%n",
                    c.notUpAtEndTotal(), spec.network().connections(), where, c.neverUp(),
                    c.notUpAtEnd().get(NotUp.AWAITING_GREETING) > 0
                            ? " (each one awaiting its greeting counts as a failed connect, no greeting)" : "");
        }
        StringBuilder errors = new StringBuilder();
        for (ErrorKind kind : ErrorKind.values()) {
            errors.append(errors.isEmpty() ? "" : ", ").append(kind.label()).append(' ')
                    .append(r.errors().byKind().get(kind));
        }
        out.printf(Locale.ROOT, "  Errors         %s (whole run, warmup included: error rate %.6f, limit %s)%n", errors,
                r.errorRate(), spec.limits().maxErrorRate());
        if (spec.workload().shedReply() != null) {
            out.printf(Locale.ROOT, "  Shed           %d requests refused as busy (whole run: shed rate %.6f, limit %s)%n",
                    r.wholeRun().shed(), r.shedRate(), spec.limits().maxShedRate());
        }
        for (String sample : r.errors().mismatchSamples()) {
            out.printf("  Mismatch       %s%n", sample);
        }
        for (String sample : r.errors().otherSamples()) {
            out.printf("  Error sample   %s%n", sample);
        }
        if (r.churn() != null) {
            long cycles = r.churn().done() + r.churn().failed();
            out.printf(Locale.ROOT, "  Load generator CPU   %.1f us per connection%n",
                    cycles == 0 ? 0 : r.timing().cpuNanos() / 1e3 / cycles);
        } else {
            out.printf(Locale.ROOT, "  Load generator CPU   %.1f us per request%n", r.cpuNanosPerRequest() / 1e3);
        }
        if (r.findRate() != null) {
            search(r.findRate());
        }
    }

    /** With --churn: the connections planned in the measurement, what became of them, and their connect time. */
    private void churn(RunResult.Churn churn, RunResult.Connections c, double seconds, LoadSpec spec) {
        out.printf(Locale.ROOT, "  Churn          %.1f connections/s done, %.1f planned: of %d planned in the"
                + " measurement, %d done, %d failed%s%n", churn.done() / seconds, churn.perSecond() * 1.0,
                churn.planned(), churn.done(), churn.failed(), churn.planned() == churn.done() + churn.failed() ? ""
                        : ", " + (churn.planned() - churn.done() - churn.failed()) + " unsettled at the end");
        out.printf(Locale.ROOT, "  Connect time   %s   (corrected: from each connection's planned start until up: %s)%n",
                line(c.connectTime()), cycle(spec).replace(", one request verified", ""));
    }

    /**
     * With --find-rate, the steps in the order they ran, each judged on its window's requests as
     * they stood after its settle, then the answer.
     */
    private void search(FindRate f) {
        LoadSpec.Search s = f.search();
        out.printf(Locale.ROOT, "%nSearch for the highest rate with corrected %s: from %s/s, doubling until a step"
                + " fails, then bisecting to within %s%%, at most %d steps, then the answer repeated; each step a %s"
                + " warmup, a %s window (judged) and a %s settle at its rate, on the same connections%n",
                s.goal(), FindRateText.rate(s.fromRate()), trim(100 * s.precision()), s.maxSteps(),
                durationText(f.warmup()), durationText(f.window()), durationText(f.settle()));
        boolean goalColumn = !List.of("p50", "p99", "p99.9", "max").contains(s.goal().label());
        String header = String.format(Locale.ROOT, "  %4s %12s %11s  %-10s %-10s %-10s %-10s%s %-12s %-17s %s",
                "step", "rate/s", "answered/s", "p50", "p99", "p99.9", "max",
                goalColumn ? String.format(Locale.ROOT, " %-10s", s.goal().label()) : "", "uncorr. p99",
                "failed/shed/lost", "outcome");
        out.println(header.stripTrailing());
        for (FindRate.Step step : f.steps()) {
            PhaseTally w = step.window();
            Histogram c = w.corrected();
            out.printf(Locale.ROOT, "  %4d %12s %11.1f  %-10s %-10s %-10s %-10s%s %-12s %-17s %s%n", step.number(),
                    FindRateText.rate(step.rate()), step.answeredPerSecond(), at(c, 50), at(c, 99), at(c, 99.9),
                    c.getTotalCount() == 0 ? "-" : Millis.of(c.getMaxValue()),
                    goalColumn ? String.format(Locale.ROOT, " %-10s", at(c, s.goal().percentile())) : "",
                    at(w.uncorrected(), 99), w.failed() + "/" + w.shed() + "/" + step.connectionsLost(),
                    (step.held() ? "held" : step.outcome().name().toLowerCase(Locale.ROOT) + ": " + step.reason())
                            + (step.repeat() ? " (the answer, repeated)" : ""));
        }
        long fewest = f.steps().stream().mapToLong(step -> step.window().planned()).min().orElse(0);
        if (s.goal().percentile() < 100) {
            long needed = Math.round(100 / (100 - s.goal().percentile()));
            if (fewest < needed) {
                out.printf(Locale.ROOT, "  (a window of %d requests: a %s needs %d to be more than the window's slowest"
                        + " request; on fewer it is the slowest, a stricter test)%n", fewest, s.goal().label(), needed);
            }
        }
        out.println(FindRateText.answer(f));
    }

    private static String at(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : Millis.of(h.getValueAtPercentile(percentile));
    }

    /** {@code 2s}, {@code 200ms}: whole seconds in seconds, anything finer in milliseconds. */
    private static String durationText(Duration d) {
        return d.toNanos() % 1_000_000_000L == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /**
     * With a rate profile, a line per phase: its span and planned rate, then what became of the
     * requests planned in it, whenever their replies came.
     */
    private void phases(List<PhaseLine> phases) {
        if (phases.isEmpty()) {
            return;
        }
        out.println("  Phases         each request counted in the phase of its planned send time; latency corrected,"
                + " from the planned send");
        for (PhaseLine p : phases) {
            PhaseTally t = p.tally();
            out.printf(Locale.ROOT, "  Phase %-8d %s-%s s at %s/s: %.1f/s answered, %d of %d planned; %s  (uncorrected"
                            + " p99 %s); %d failed, %d shed%s%n",
                    p.number(), seconds(p.startSeconds()), seconds(p.endSeconds()),
                    p.ramp() ? rate(p.fromRate()) + ".." + rate(p.toRate()) : rate(p.fromRate()),
                    p.answeredPerSecond(), t.answered(), t.planned(), phaseLatency(t.corrected()),
                    t.uncorrected().getTotalCount() == 0 ? "-" : millis(t.uncorrected().getValueAtPercentile(99)),
                    t.failed(), t.shed(), t.unanswered() == 0 ? "" : ", " + t.unanswered() + " unanswered at the end");
        }
    }

    private static String phaseLatency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "p50 %s  p99 %s  p99.9 %s  max %s", millis(h.getValueAtPercentile(50)),
                millis(h.getValueAtPercentile(99)), millis(h.getValueAtPercentile(99.9)), millis(h.getMaxValue()));
    }

    /** Seconds into the measurement, as short as they stay exact to the millisecond. */
    private static String seconds(double s) {
        String text = String.format(Locale.ROOT, "%.3f", s);
        return text.replaceAll("\\.?0+$", "");
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? String.format(Locale.ROOT, "%.0f", perSecond)
                : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** The kinds with a count, as " (timeout 3, reset 1)"; nothing when there are none. */
    public static String kinds(Map<ErrorKind, Long> counts) {
        StringBuilder s = new StringBuilder();
        counts.forEach((kind, n) -> {
            if (n > 0) {
                s.append(s.isEmpty() ? " (" : ", ").append(kind.label()).append(' ').append(n);
            }
        });
        return s.isEmpty() ? "" : s.append(')').toString();
    }

    private static String line(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "no samples";
        }
        StringBuilder s = new StringBuilder();
        for (double p : PERCENTILES) {
            s.append(String.format(Locale.ROOT, "p%s %s  ", trim(p), millis(h.getValueAtPercentile(p))));
        }
        return s.append("max ").append(millis(h.getMaxValue())).toString();
    }

    static String trim(double percentile) {
        return percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
    }

    private static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.2f MiB", n / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
}
