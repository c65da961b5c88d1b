package dev.ricochet.loadgen.run;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a run measured.
 *
 * @param corrected          latency from the planned send time (open loop), nanoseconds:
 *                           answered requests, and those unanswered at the end up to then
 * @param uncorrected        latency from the actual send time, nanoseconds: answered
 *                           requests, and those sent but unanswered at the end
 * @param shedLatency        latency of the requests the server shed, from the planned send, nanoseconds
 * @param connectTime        time for each connection to come up, nanoseconds: from the start of
 *                           its connect to its greeting (to the TCP connect without one)
 * @param seconds            length of the measurement
 * @param measured           what became of requests in the measurement
 * @param wholeRun           the same over the whole run, warmup included
 * @param sent               requests sent over the whole run: each of them is answered, failed
 *                           or unanswered at the end in {@code wholeRun}
 * @param bytesSent          request bytes of the requests answered in the measurement
 * @param bytesReceived      reply bytes of those
 * @param connections        connections established, replaced, lost and failed over the whole run
 * @param connectSeconds     the connect phase: from the first connect until every first
 *                           attempt had settled, its connection up (greeting included) or
 *                           failed (to 1 ms); the load starts at its end
 * @param openAtEnd          connections up when the measurement ended
 * @param errors             errors by kind over the whole run: one per failed request, and one
 *                           per connection failure that failed no request
 * @param mismatchSamples    the first mismatches, with where they happened
 * @param otherSamples       the first errors of kind {@code other}, as the exception said them
 * @param plannedPerSecond   open loop: the rate asked for; 0 in closed loop
 * @param planned            open loop: requests the plans put inside the measurement (each
 *                           connection's plan starts when its first connection is ready)
 * @param cpuNanosPerRequest the load generator's own CPU time per request
 * @param measureStartMillis wall-clock start of the measurement (epoch milliseconds), so that
 *                           other readings (the server's CPU, say) can cover the same window
 * @param measureEndMillis   wall-clock end of the measurement
 */
public record RunResult(
        Histogram corrected,
        Histogram uncorrected,
        Histogram shedLatency,
        Histogram connectTime,
        double seconds,
        Requests measured,
        Requests wholeRun,
        long sent,
        long bytesSent,
        long bytesReceived,
        Connections connections,
        double connectSeconds,
        int openAtEnd,
        Map<ErrorKind, Long> errors,
        List<String> mismatchSamples,
        List<String> otherSamples,
        double plannedPerSecond,
        long planned,
        double cpuNanosPerRequest,
        long measureStartMillis,
        long measureEndMillis) {

    /**
     * What became of requests: each one counts once, where its fate was settled.
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
     * A connection is up once its TCP connect has completed and, for a protocol with a
     * greeting, its greeting has arrived.
     *
     * @param established     connections that came up, replacements included
     * @param reconnects      of those, connections that replaced a lost one or followed a failed attempt
     * @param connectFailures connect attempts that failed to come up, by kind ({@code no greeting}
     *                        included, and each connection still owed its greeting at the end)
     * @param lost            connections that ended, after they were up, before the run did, by kind
     * @param notUpAtEnd      of the {@code --connections}, those not up when the measurement ended,
     *                        by where they stood
     * @param neverUp         of the {@code --connections}, those none of whose connections ever came up
     */
    public record Connections(long established, long reconnects, Map<ErrorKind, Long> connectFailures,
            Map<ErrorKind, Long> lost, Map<NotUp, Long> notUpAtEnd, long neverUp) {

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

    private static long total(Map<?, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests answered in the measurement. */
    public long requests() {
        return measured.answered();
    }

    public long totalErrors() {
        return total(errors);
    }

    /** Answered requests per second of the measurement. */
    public double requestsPerSecond() {
        return measured.answered() / seconds;
    }

    /**
     * Errors over everything that could have gone wrong, both over the whole run: every
     * request with a fate, and every connection failure that failed no request.
     */
    public double errorRate() {
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
        return planned == 0 ? 1 : (double) (measured.answered() + measured.shed()) / planned; // nothing planned: nothing missed
    }

    /** Requests the server shed over every request with a fate, both over the whole run. */
    public double shedRate() {
        long accounted = wholeRun.accounted();
        return accounted == 0 ? 0 : (double) wholeRun.shed() / accounted;
    }
}
