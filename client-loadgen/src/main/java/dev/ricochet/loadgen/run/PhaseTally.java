package dev.ricochet.loadgen.run;

import org.HdrHistogram.Histogram;

/**
 * What became of the requests planned in one phase of a {@link RateProfile}: each request
 * counts in the phase of its planned send time, whenever its fate came (a reply to a request of
 * the spike, arriving during the recovery, is the spike's). Latencies in nanoseconds, as in
 * {@link Latencies}: corrected from the planned send, uncorrected from the actual one, for the
 * requests answered and those unanswered at the end.
 *
 * <p>Mutable: each event loop records its own ({@link LoopPhases}), and the run adds them up
 * once, at the end.
 */
public final class PhaseTally {

    private final Histogram corrected;
    private final Histogram uncorrected;
    long planned;
    long answered;
    long shed;
    long failed;
    long unanswered;
    long unansweredNeverSent;

    /** Empty, with histograms for values from 1 µs to an hour at three significant digits. */
    public PhaseTally() {
        this(RunStats.newHistogram(), RunStats.newHistogram());
    }

    private PhaseTally(Histogram corrected, Histogram uncorrected) {
        this.corrected = corrected;
        this.uncorrected = uncorrected;
    }

    /**
     * Empty, its histograms as small as the latencies recorded so far allow, growing as needed:
     * an event loop keeps one per phase for the whole run, and a full-range histogram is 190 KiB.
     */
    static PhaseTally growing() {
        return new PhaseTally(growingHistogram(), growingHistogram());
    }

    private static Histogram growingHistogram() {
        Histogram h = new Histogram(1_000, 1_000_000, 3);
        h.setAutoResize(true);
        return h;
    }

    /**
     * A phase as a report recorded it, read back ({@code ricochet loadgen merge}); in the order of
     * the accessors below.
     */
    public static PhaseTally of(long planned, long answered, long shed, long failed, long unanswered,
            long unansweredNeverSent) {
        PhaseTally t = new PhaseTally();
        t.planned = planned;
        t.answered = answered;
        t.shed = shed;
        t.failed = failed;
        t.unanswered = unanswered;
        t.unansweredNeverSent = unansweredNeverSent;
        return t;
    }

    /** A request sent at {@code sentNanos} and not answered by {@code nowNanos}: counted with its latency so far. */
    void recordUnanswered(long nowNanos, long intendedNanos, long sentNanos) {
        unanswered++;
        corrected.recordValue(LoopStats.clamp(nowNanos - intendedNanos));
        uncorrected.recordValue(LoopStats.clamp(nowNanos - sentNanos));
    }

    /** {@code count} requests planned at about {@code intendedNanos} and never sent: only the corrected latency has a start. */
    void recordUnansweredUnsent(long nowNanos, long intendedNanos, long count) {
        unanswered += count;
        unansweredNeverSent += count;
        corrected.recordValueWithCount(LoopStats.clamp(nowNanos - intendedNanos), count);
    }

    /** Adds {@code other}'s counts and histograms to these; {@code other} is left as it was. */
    public void add(PhaseTally other) {
        Latencies.add(corrected, other.corrected);
        Latencies.add(uncorrected, other.uncorrected);
        planned += other.planned;
        answered += other.answered;
        shed += other.shed;
        failed += other.failed;
        unanswered += other.unanswered;
        unansweredNeverSent += other.unansweredNeverSent;
    }

    /** Latency from the planned send: requests answered, and those unanswered at the end, sent or not. */
    public Histogram corrected() {
        return corrected;
    }

    /** Latency from the actual send: requests answered, and those sent but unanswered at the end. */
    public Histogram uncorrected() {
        return uncorrected;
    }

    /** Requests the plans put in the phase. */
    public long planned() {
        return planned;
    }

    /** Of those, verified replies. */
    public long answered() {
        return answered;
    }

    /** Refused with the server's load-shedding reply. */
    public long shed() {
        return shed;
    }

    /** Lost with their connection, or timed out. */
    public long failed() {
        return failed;
    }

    /** Without a reply when the measurement ended, sent or not. */
    public long unanswered() {
        return unanswered;
    }

    /** Of {@link #unanswered}, those never sent. */
    public long unansweredNeverSent() {
        return unansweredNeverSent;
    }
}
