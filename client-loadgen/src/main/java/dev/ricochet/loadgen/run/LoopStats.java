package dev.ricochet.loadgen.run;

/**
 * What one event loop's connections did, written by that loop alone, so that recording a reply
 * touches no atomic and no cache line another thread writes (a shared recorder cost several
 * contended atomic operations per reply). The main thread collects it by running {@link #take}
 * on the loop itself once per second.
 */
final class LoopStats {

    private Tally current = new Tally();
    /** The tally handed out by the previous take: the taker resets it before it takes again. */
    private Tally spare = new Tally();

    /** Called on the loop for every request written. */
    void sent() {
        current.counts().sentWholeRun++;
    }

    /**
     * A request sent again on a new connection, the server having closed the one it went out on
     * before any byte of its reply: still one request (one fate), so not counted as sent twice.
     */
    void sentAgain() {
        current.counts().sentAgainWholeRun++;
    }

    /** Open loop, at the end: requests a slot's plan put inside the measurement. */
    void planned(long count) {
        current.counts().plannedMeasured += count;
    }

    /** Called on the loop for every verified reply. */
    void replied(boolean measuring, long intendedNanos, long sentNanos, long nowNanos, int requestBytes,
            int replyBytes) {
        Counts counts = current.counts();
        counts.answeredWholeRun++;
        if (!measuring) {
            return;
        }
        current.latencies().corrected().recordValue(clamp(nowNanos - intendedNanos));
        current.latencies().uncorrected().recordValue(clamp(nowNanos - sentNanos));
        counts.answeredMeasured++;
        counts.bytesSentMeasured += requestBytes;
        counts.bytesReceivedMeasured += replyBytes;
    }

    /**
     * Called on the loop for every request the server shed (its busy reply, verified): its
     * latency goes into a histogram of its own, from the planned send, so that quick
     * refusals never flatter the latency of the requests actually served.
     */
    void shed(boolean measuring, long intendedNanos, long nowNanos, int requestBytes, int replyBytes) {
        Counts counts = current.counts();
        counts.shedWholeRun++;
        if (!measuring) {
            return;
        }
        current.latencies().shed().recordValue(clamp(nowNanos - intendedNanos));
        counts.shedMeasured++;
        counts.bytesSentMeasured += requestBytes;
        counts.bytesReceivedMeasured += replyBytes;
    }

    /**
     * A request sent but still unanswered when the measurement ended: its latency so far goes
     * into both histograms (a stall at the end of a run must show), and it is counted.
     */
    void unanswered(long sinceIntendedNanos, long sinceSentNanos) {
        current.latencies().corrected().recordValue(clamp(sinceIntendedNanos));
        current.latencies().uncorrected().recordValue(clamp(sinceSentNanos));
        current.counts().unansweredAtEnd++;
    }

    /**
     * Open loop: {@code count} requests planned before the measurement ended but never sent
     * (their connection was down, or the pipeline full), about {@code sinceIntendedNanos} late:
     * only the corrected histogram has a start for them.
     */
    void unansweredUnsent(long sinceIntendedNanos, long count) {
        current.latencies().corrected().recordValueWithCount(clamp(sinceIntendedNanos), count);
        current.counts().unansweredAtEnd += count;
        current.counts().unansweredAtEndNeverSent += count;
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(RunStats.HIGHEST_NANOS, nanos));
    }

    /**
     * Runs on the loop: hands out what its connections did since the previous take (latencies
     * only while measuring) and starts afresh on the spare tally. The tally handed out must be
     * reset by the caller before its next take, which gets it back as the spare.
     */
    Tally take() {
        Tally taken = current;
        current = spare;
        spare = taken;
        return taken;
    }
}
