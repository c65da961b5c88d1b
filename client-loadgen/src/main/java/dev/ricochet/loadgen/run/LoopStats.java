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
    /** With a rate profile: what happened in each phase, from when the load starts; null without. */
    private LoopPhases phases;

    /**
     * With a rate profile, called on the loop when the load starts, before any request is
     * sent: from then on each request also counts in the phase of its planned send time.
     *
     * @param starts when each phase starts, {@link System#nanoTime()} time
     */
    void startPhases(long[] starts) {
        phases = new LoopPhases(starts);
    }

    /** As {@link #startPhases(long[])}, the starts read from a plan that may grow (a search's). */
    void startPhases(LoopPhases.Starts starts) {
        phases = new LoopPhases(starts);
    }

    /** Called on the loop: this loop's figures per phase, added to {@code sums}; nothing without a profile. */
    void addPhasesTo(PhaseTally[] sums) {
        if (phases != null) {
            phases.addTo(sums);
        }
    }

    /** Called on the loop: this loop's figures of phase {@code phase}, added to {@code sum}; nothing without phases. */
    void addPhaseTo(int phase, PhaseTally sum) {
        if (phases != null) {
            phases.addTo(phase, sum);
        }
    }

    /** Called on the loop for every request written. */
    void sent() {
        current.counts().sentWholeRun++;
    }

    /**
     * Open loop, for every new request written: how late it left after its planned send,
     * recorded while measuring.
     */
    void sendLag(boolean measuring, long intendedNanos, long sentNanos) {
        if (measuring) {
            current.latencies().sendLag().recordValue(clamp(sentNanos - intendedNanos));
        }
    }

    /**
     * A request sent again on a new connection, the server having closed the one it went out on
     * before any byte of its reply: still one request (one fate), so not counted as sent twice.
     */
    void sentAgain() {
        current.counts().sentAgainWholeRun++;
    }

    /** Open loop, at the end: requests a slot's plan put inside the measurement, in its phase {@code phase} (>= 0). */
    void planned(int phase, long count) {
        current.counts().plannedMeasured += count;
        if (phases != null) {
            phases.planned(phase, count);
        }
    }

    /** A request lost with its connection, or timed out: its phase counts it (the run counts it by kind). */
    void failed(long intendedNanos) {
        if (phases != null) {
            phases.failed(intendedNanos);
        }
    }

    /** Called on the loop for every verified reply. */
    void replied(boolean measuring, long intendedNanos, long sentNanos, long nowNanos, int requestBytes,
            int replyBytes) {
        Counts counts = current.counts();
        counts.answeredWholeRun++;
        if (phases != null) {
            phases.replied(intendedNanos, sentNanos, nowNanos);
        }
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
        if (phases != null) {
            phases.shed(intendedNanos);
        }
        if (!measuring) {
            return;
        }
        current.latencies().shed().recordValue(clamp(nowNanos - intendedNanos));
        counts.shedMeasured++;
        counts.bytesSentMeasured += requestBytes;
        counts.bytesReceivedMeasured += replyBytes;
    }

    /**
     * A request sent at {@code sentNanos} (planned at {@code intendedNanos}) but still unanswered
     * when the measurement ended: its latency up to {@code nowNanos} goes into both histograms (a
     * stall at the end of a run must show), and it is counted.
     */
    void unanswered(long nowNanos, long intendedNanos, long sentNanos) {
        current.latencies().corrected().recordValue(clamp(nowNanos - intendedNanos));
        current.latencies().uncorrected().recordValue(clamp(nowNanos - sentNanos));
        current.counts().unansweredAtEnd++;
        if (phases != null) {
            phases.unanswered(nowNanos, intendedNanos, sentNanos);
        }
    }

    /**
     * Open loop: {@code count} requests planned before the measurement ended but never sent
     * (their connection was down, or the pipeline full), planned at about {@code intendedNanos}:
     * only the corrected histogram has a start for them.
     */
    void unansweredUnsent(long nowNanos, long intendedNanos, long count) {
        current.latencies().corrected().recordValueWithCount(clamp(nowNanos - intendedNanos), count);
        current.counts().unansweredAtEnd += count;
        current.counts().unansweredAtEndNeverSent += count;
        if (phases != null) {
            phases.unansweredUnsent(nowNanos, intendedNanos, count);
        }
    }

    static long clamp(long nanos) {
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
