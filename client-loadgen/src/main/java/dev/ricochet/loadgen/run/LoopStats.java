package dev.ricochet.loadgen.run;

import org.HdrHistogram.Histogram;

/**
 * What one event loop's connections did, written by that loop alone, so that recording a reply
 * touches no atomic and no cache line another thread writes (a shared recorder cost several
 * contended atomic operations per reply). The main thread collects it by running {@link #take}
 * on the loop itself once per second.
 */
final class LoopStats {

    private Histogram corrected = RunStats.newHistogram();
    private Histogram uncorrected = RunStats.newHistogram();
    // The pair handed out by the previous take: the taker resets it before it takes again.
    private Histogram spareCorrected = RunStats.newHistogram();
    private Histogram spareUncorrected = RunStats.newHistogram();
    private Histogram shedLatency = RunStats.newHistogram();
    private Histogram spareShedLatency = RunStats.newHistogram();
    private long sent;
    private long planned;
    private long replies;
    private long requests;
    private long shedAll;
    private long shed;
    private long unanswered;
    private long unansweredUnsent;
    private long bytesSent;
    private long bytesReceived;

    /** Called on the loop for every request written. */
    void sent() {
        sent++;
    }

    /** Open loop, at the end: requests a slot's plan put inside the measurement. */
    void planned(long count) {
        planned += count;
    }

    /** Called on the loop for every verified reply. */
    void replied(boolean measuring, long intendedNanos, long sentNanos, long nowNanos, int requestBytes,
            int replyBytes) {
        replies++;
        if (!measuring) {
            return;
        }
        corrected.recordValue(clamp(nowNanos - intendedNanos));
        uncorrected.recordValue(clamp(nowNanos - sentNanos));
        requests++;
        bytesSent += requestBytes;
        bytesReceived += replyBytes;
    }

    /**
     * Called on the loop for every request the server shed (its busy reply, verified): its
     * latency goes into a histogram of its own, from the planned send, so that quick
     * refusals never flatter the latency of the requests actually served.
     */
    void shed(boolean measuring, long intendedNanos, long nowNanos, int requestBytes, int replyBytes) {
        shedAll++;
        if (!measuring) {
            return;
        }
        shedLatency.recordValue(clamp(nowNanos - intendedNanos));
        shed++;
        bytesSent += requestBytes;
        bytesReceived += replyBytes;
    }

    /**
     * A request sent but still unanswered when the measurement ended: its latency so far goes
     * into both histograms (a stall at the end of a run must show), and it is counted.
     */
    void unanswered(long sinceIntendedNanos, long sinceSentNanos) {
        corrected.recordValue(clamp(sinceIntendedNanos));
        uncorrected.recordValue(clamp(sinceSentNanos));
        unanswered++;
    }

    /**
     * Open loop: {@code count} requests planned before the measurement ended but never sent
     * (their connection was down, or the pipeline full), about {@code sinceIntendedNanos} late:
     * only the corrected histogram has a start for them.
     */
    void unansweredUnsent(long sinceIntendedNanos, long count) {
        corrected.recordValueWithCount(clamp(sinceIntendedNanos), count);
        unanswered += count;
        unansweredUnsent += count;
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(RunStats.HIGHEST_NANOS, nanos));
    }

    /**
     * Runs on the loop: hands out what its connections did since the previous take (latencies
     * only while measuring) and starts afresh on the spare histograms. The
     * histograms handed out must be reset by the caller before its next take, which gets
     * them back as the spare pair.
     */
    RunStats.Interval take() {
        RunStats.Interval taken = new RunStats.Interval(corrected, uncorrected, shedLatency, sent, planned, replies,
                requests,
                shedAll, shed, unanswered, unansweredUnsent, bytesSent, bytesReceived);
        corrected = spareCorrected;
        uncorrected = spareUncorrected;
        shedLatency = spareShedLatency;
        spareCorrected = taken.corrected();
        spareUncorrected = taken.uncorrected();
        spareShedLatency = taken.shedLatency();
        shedAll = 0;
        shed = 0;
        sent = 0;
        planned = 0;
        replies = 0;
        requests = 0;
        unanswered = 0;
        unansweredUnsent = 0;
        bytesSent = 0;
        bytesReceived = 0;
        return taken;
    }
}
