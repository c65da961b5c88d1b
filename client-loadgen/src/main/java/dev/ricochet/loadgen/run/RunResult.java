package dev.ricochet.loadgen.run;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a run measured: the few groups below, and every figure the reports derive from them.
 *
 * @param latencies        the requests' latencies in the measurement (see {@link Latencies})
 * @param counts           what became of requests, over the whole run and in the measurement
 * @param errors           what went wrong, by kind
 * @param connections      connections established, replaced, lost and failed over the whole run
 * @param timing           when the phases ran, and the load generator's own CPU time
 * @param plannedPerSecond open loop: the rate asked for (with a rate profile, its mean); 0 in
 *                         closed loop
 * @param phases           with a rate profile, each phase's figures, in the profile's order (each
 *                         request in the phase of its planned send time); empty without
 * @param findRate         with {@code --find-rate}, what the search found (the other figures then
 *                         cover the whole search, every step at every rate); null without
 * @param churn            with {@code --churn}, what became of the connections it opened; null
 *                         without (their connect times are {@link Connections#connectTime})
 * @param interruptedBy    what stopped the measurement before its end ({@code SIGINT},
 *                         {@code SIGTERM}: see {@link StopRequest}), the figures covering what ran
 *                         of it; null when it ran to its end
 */
public record RunResult(
        Latencies latencies,
        Counts counts,
        Errors errors,
        Connections connections,
        Timing timing,
        double plannedPerSecond,
        List<PhaseTally> phases,
        FindRate findRate,
        Churn churn,
        String interruptedBy) {

    public RunResult {
        phases = List.copyOf(phases);
    }

    /** A run that ran to its end. */
    public RunResult(Latencies latencies, Counts counts, Errors errors, Connections connections, Timing timing,
            double plannedPerSecond, List<PhaseTally> phases, FindRate findRate, Churn churn) {
        this(latencies, counts, errors, connections, timing, plannedPerSecond, phases, findRate, churn, null);
    }

    /** Whether a signal stopped the measurement before its end. */
    public boolean interrupted() {
        return interruptedBy != null;
    }

    /** A run without churn. */
    public RunResult(Latencies latencies, Counts counts, Errors errors, Connections connections, Timing timing,
            double plannedPerSecond, List<PhaseTally> phases, FindRate findRate) {
        this(latencies, counts, errors, connections, timing, plannedPerSecond, phases, findRate, null);
    }

    /**
     * With {@code --churn}: what became of the connections it planned. Each connection planned in
     * the measurement is either done (up, its request answered if the workload sends one, and
     * closed by the load generator) or failed (a failed connect by kind, in {@link Connections});
     * the measurement waits for every one of them to settle.
     *
     * @param perSecond        connections planned per second
     * @param planned          connections planned to start in the measurement
     * @param done             of those, the ones done
     * @param failed           of those, the ones that failed
     * @param openedWholeRun   connections opened over the whole run, warmup included
     * @param failedWholeRun   of those, the ones that failed
     */
    public record Churn(int perSecond, long planned, long done, long failed, long openedWholeRun,
            long failedWholeRun) {
    }

    /** A run without a search. */
    public RunResult(Latencies latencies, Counts counts, Errors errors, Connections connections, Timing timing,
            double plannedPerSecond, List<PhaseTally> phases) {
        this(latencies, counts, errors, connections, timing, plannedPerSecond, phases, null);
    }

    /** A run without a rate profile: no phases. */
    public RunResult(Latencies latencies, Counts counts, Errors errors, Connections connections, Timing timing,
            double plannedPerSecond) {
        this(latencies, counts, errors, connections, timing, plannedPerSecond, List.of());
    }

    /**
     * What became of requests: each one counts once, where its fate was settled. A view of
     * {@link Counts} and {@link Errors} over one scope: {@link #measured} or {@link #wholeRun}.
     *
     * @param answered         verified replies
     * @param shed             requests the server refused with its load-shedding reply (verified)
     * @param failed           requests lost with their connection, by the kind of error that ended it
     * @param unanswered       requests without a reply when the measurement ended (their
     *                         latency up to then is in the corrected histogram)
     * @param unansweredUnsent of those, requests planned (open loop) but never sent
     */
    public record Requests(long answered, long shed, Map<ErrorKind, Long> failed, long unanswered,
            long unansweredUnsent) {

        public long failedTotal() {
            return total(failed);
        }

        /** Every request with a fate: answered, shed, failed or unanswered. */
        public long accounted() {
            return answered + shed + failedTotal() + unanswered;
        }
    }

    /**
     * Errors are counted once per victim: one per failed request, and one per connection
     * failure that failed no request.
     *
     * @param byKind          errors by kind over the whole run
     * @param failedMeasured  requests lost with their connection while measuring, by kind
     * @param failedWholeRun  the same over the whole run, warmup included
     * @param mismatchSamples the first mismatches, with where they happened
     * @param otherSamples    the first errors of kind {@code other} or {@code tls} (the latter
     *                        starting {@code tls: }), as the exception said them
     */
    public record Errors(Map<ErrorKind, Long> byKind, Map<ErrorKind, Long> failedMeasured,
            Map<ErrorKind, Long> failedWholeRun, List<String> mismatchSamples, List<String> otherSamples) {

        public long total() {
            return RunResult.total(byKind);
        }
    }

    /**
     * A connection is up once its TCP connect has completed and, for a protocol with a
     * greeting, its greeting has arrived.
     *
     * @param connectTime     time for each connection to come up, nanoseconds: from the start of
     *                        its connect to its greeting (to the TCP connect without one)
     * @param established     connections that came up, replacements included
     * @param reconnects      of those, connections that replaced a lost one or followed a failed attempt
     * @param connectFailures connect attempts that failed to come up, by kind ({@code no greeting}
     *                        included, and each connection still owed its greeting at the end)
     * @param lost            connections that ended, after they were up, before the run did, by kind
     * @param openAtEnd       connections up when the measurement ended
     * @param notUpAtEnd      of the {@code --connections}, those not up when the measurement ended,
     *                        by where they stood
     * @param neverUp         of the {@code --connections}, those none of whose connections ever came up
     */
    public record Connections(Histogram connectTime, long established, long reconnects,
            Map<ErrorKind, Long> connectFailures, Map<ErrorKind, Long> lost, int openAtEnd,
            Map<NotUp, Long> notUpAtEnd, long neverUp) {

        public long lostTotal() {
            return total(lost);
        }

        public long connectFailuresTotal() {
            return total(connectFailures);
        }

        public long notUpAtEndTotal() {
            return total(notUpAtEnd);
        }
    }

    /**
     * @param connectPhaseSeconds the connect phase: from the first connect until every first
     *                            attempt had settled, its connection up (greeting included) or
     *                            failed (to 1 ms); the load starts at its end
     * @param warmupSeconds       the warmup as it ran, from the start of the load to the
     *                            measurement: shorter than {@code --warmup} when a connect phase
     *                            that ended late cut it (with {@code --start-at})
     * @param measuredSeconds     length of the measurement
     * @param measureStartMillis  wall-clock start of the measurement (epoch milliseconds), so that
     *                            other readings (the server's CPU, say) can cover the same window
     * @param measureEndMillis    wall-clock end of the measurement
     * @param cpuNanos            the load generator's own CPU time over the measurement
     */
    public record Timing(double connectPhaseSeconds, double warmupSeconds, double measuredSeconds,
            long measureStartMillis,
            long measureEndMillis, long cpuNanos) {
    }

    private static long total(Map<?, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** What became of the requests in the measurement. */
    public Requests measured() {
        return new Requests(counts.answeredMeasured(), counts.shedMeasured(), errors.failedMeasured(),
                counts.unansweredAtEnd(), counts.unansweredAtEndNeverSent());
    }

    /** What became of the requests over the whole run, warmup included. */
    public Requests wholeRun() {
        return new Requests(counts.answeredWholeRun(), counts.shedWholeRun(), errors.failedWholeRun(),
                counts.unansweredAtEnd(), counts.unansweredAtEndNeverSent());
    }

    /** Requests answered in the measurement. */
    public long requests() {
        return counts.answeredMeasured();
    }

    public long totalErrors() {
        return errors.total();
    }

    /** Answered requests per second of the measurement. */
    public double requestsPerSecond() {
        return counts.answeredMeasured() / timing.measuredSeconds();
    }

    /**
     * Errors over everything that could have gone wrong, both over the whole run: every
     * request with a fate, and every connection failure that failed no request.
     */
    public double errorRate() {
        Requests wholeRun = wholeRun();
        long errorCount = totalErrors();
        long connectionOnly = errorCount - wholeRun.failedTotal();
        long attempts = wholeRun.accounted() + connectionOnly;
        return errorCount == 0 ? 0 : (double) errorCount / attempts;
    }

    /**
     * Open loop: requests answered or shed in the measurement over those planned in it; 1 in
     * closed loop, which has no plan to fall behind. Replies to requests planned before the
     * measurement (a backlog catching up) can take it above 1.
     */
    public double achievedRatio() {
        if (plannedPerSecond == 0) {
            return 1;
        }
        long planned = counts.plannedMeasured();
        // nothing planned: nothing missed
        return planned == 0 ? 1 : (double) (counts.answeredMeasured() + counts.shedMeasured()) / planned;
    }

    /** Requests the server shed over every request with a fate, both over the whole run. */
    public double shedRate() {
        Requests wholeRun = wholeRun();
        long accounted = wholeRun.accounted();
        return accounted == 0 ? 0 : (double) wholeRun.shed() / accounted;
    }

    /** The load generator's own CPU time per request answered in the measurement. */
    public double cpuNanosPerRequest() {
        long answered = counts.answeredMeasured();
        return answered == 0 ? 0 : (double) timing.cpuNanos() / answered;
    }
}
