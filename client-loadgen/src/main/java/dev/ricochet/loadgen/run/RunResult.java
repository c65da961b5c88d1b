package dev.ricochet.loadgen.run;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a run measured.
 *
 * @param corrected          latency from the planned send time (open loop), nanoseconds
 * @param uncorrected        latency from the actual send time, nanoseconds
 * @param connectTime        time to establish each connection, nanoseconds
 * @param seconds            length of the measurement
 * @param requests           replies received and verified in the measurement
 * @param allReplies         replies received and verified over the whole run, warmup included
 * @param bytesSent          request bytes of those
 * @param bytesReceived      reply bytes of those
 * @param connected          connections established over the whole run
 * @param connectSeconds     from the first connect to the last attempt settled (to 1 ms)
 * @param openAtEnd          connections open when the measurement ended
 * @param errors             errors by kind over the whole run
 * @param mismatchSamples    the first mismatches, with where they happened
 * @param cpuNanosPerRequest the load generator's own CPU time per request
 * @param measureStartMillis wall-clock start of the measurement (epoch milliseconds), so that
 *                           other readings (the server's CPU, say) can cover the same window
 * @param measureEndMillis   wall-clock end of the measurement
 */
public record RunResult(
        Histogram corrected,
        Histogram uncorrected,
        Histogram connectTime,
        double seconds,
        long requests,
        long allReplies,
        long bytesSent,
        long bytesReceived,
        long connected,
        double connectSeconds,
        int openAtEnd,
        Map<ErrorKind, Long> errors,
        List<String> mismatchSamples,
        double cpuNanosPerRequest,
        long measureStartMillis,
        long measureEndMillis) {

    public long totalErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public double requestsPerSecond() {
        return requests / seconds;
    }

    /** Errors per attempted request (a request that failed counts once in each). */
    public double errorRate() {
        long errorCount = totalErrors();
        return errorCount == 0 ? 0 : (double) errorCount / (requests + errorCount);
    }
}
