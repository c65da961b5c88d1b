package dev.ricochet.loadgen.run;

import org.HdrHistogram.Histogram;

/**
 * The replies of one event loop's connections, written by that loop alone, so that recording
 * a reply touches no atomic and no cache line another thread writes (a shared recorder cost
 * several contended atomic operations per reply). The main thread collects it by running
 * {@link #take} on the loop itself once per second.
 */
final class LoopStats {

    private Histogram corrected = RunStats.newHistogram();
    private Histogram uncorrected = RunStats.newHistogram();
    // The pair handed out by the previous take: the taker resets it before it takes again.
    private Histogram spareCorrected = RunStats.newHistogram();
    private Histogram spareUncorrected = RunStats.newHistogram();
    private long replies;
    private long requests;
    private long bytesSent;
    private long bytesReceived;

    /** Called on the loop for every verified reply. */
    void replied(boolean measuring, long intendedNanos, long sentNanos, long nowNanos, int requestBytes,
            int replyBytes) {
        replies++;
        if (!measuring) {
            return;
        }
        corrected.recordValue(Math.min(RunStats.HIGHEST_NANOS, nowNanos - intendedNanos));
        uncorrected.recordValue(Math.min(RunStats.HIGHEST_NANOS, nowNanos - sentNanos));
        requests++;
        bytesSent += requestBytes;
        bytesReceived += replyBytes;
    }

    /**
     * Runs on the loop: hands out what its connections did since the previous take (latencies
     * only while measuring) and starts afresh on the spare pair. The
     * histograms handed out must be reset by the caller before its next take, which gets
     * them back as the spare pair.
     */
    RunStats.Interval take() {
        RunStats.Interval taken = new RunStats.Interval(corrected, uncorrected, replies, requests, bytesSent,
                bytesReceived);
        corrected = spareCorrected;
        uncorrected = spareUncorrected;
        spareCorrected = taken.corrected();
        spareUncorrected = taken.uncorrected();
        replies = 0;
        requests = 0;
        bytesSent = 0;
        bytesReceived = 0;
        return taken;
    }
}
