package dev.ricochet.loadgen.run;

/**
 * What became of requests over some stretch of a run: one event loop's second, the run's
 * second, the whole run, and (added up) the shards of a split run. Each name says what is
 * counted and over which scope: {@code WholeRun} counts from the start of the load, warmup
 * included; {@code Measured} only while the measurement runs; {@code AtEnd} once, when the
 * measurement ends (those belong to both scopes).
 *
 * <p>Mutable, so that one value is reused for every second rather than reallocated: the event
 * loop that owns a value is the only one to write it ({@link LoopStats}); {@link #add} and
 * {@link #reset} run on the thread that collects them. A new counter is a field here, one line
 * each in {@link #of}, {@link #add} and {@link #reset}, and its accessor.
 */
public final class Counts {

    long sentWholeRun;
    long sentAgainWholeRun;
    long answeredWholeRun;
    long shedWholeRun;
    long answeredMeasured;
    long shedMeasured;
    long bytesSentMeasured;
    long bytesReceivedMeasured;
    long plannedMeasured;
    long unansweredAtEnd;
    long unansweredAtEndNeverSent;

    /** No request yet: every count zero. */
    public Counts() {
    }

    /**
     * The counts a report recorded, read back ({@code ricochet loadgen merge}); in the order of
     * the accessors below. A new counter is one more parameter here.
     */
    public static Counts of(long sentWholeRun, long sentAgainWholeRun, long answeredWholeRun, long shedWholeRun, long answeredMeasured,
            long shedMeasured, long bytesSentMeasured, long bytesReceivedMeasured, long plannedMeasured,
            long unansweredAtEnd, long unansweredAtEndNeverSent) {
        Counts c = new Counts();
        c.sentWholeRun = sentWholeRun;
        c.sentAgainWholeRun = sentAgainWholeRun;
        c.answeredWholeRun = answeredWholeRun;
        c.shedWholeRun = shedWholeRun;
        c.answeredMeasured = answeredMeasured;
        c.shedMeasured = shedMeasured;
        c.bytesSentMeasured = bytesSentMeasured;
        c.bytesReceivedMeasured = bytesReceivedMeasured;
        c.plannedMeasured = plannedMeasured;
        c.unansweredAtEnd = unansweredAtEnd;
        c.unansweredAtEndNeverSent = unansweredAtEndNeverSent;
        return c;
    }

    /** Adds {@code other}'s counts to these; {@code other} is left as it was. */
    public void add(Counts other) {
        sentWholeRun += other.sentWholeRun;
        sentAgainWholeRun += other.sentAgainWholeRun;
        answeredWholeRun += other.answeredWholeRun;
        shedWholeRun += other.shedWholeRun;
        answeredMeasured += other.answeredMeasured;
        shedMeasured += other.shedMeasured;
        bytesSentMeasured += other.bytesSentMeasured;
        bytesReceivedMeasured += other.bytesReceivedMeasured;
        plannedMeasured += other.plannedMeasured;
        unansweredAtEnd += other.unansweredAtEnd;
        unansweredAtEndNeverSent += other.unansweredAtEndNeverSent;
    }

    /** Sets every count back to zero. */
    public void reset() {
        sentWholeRun = 0;
        sentAgainWholeRun = 0;
        answeredWholeRun = 0;
        shedWholeRun = 0;
        answeredMeasured = 0;
        shedMeasured = 0;
        bytesSentMeasured = 0;
        bytesReceivedMeasured = 0;
        plannedMeasured = 0;
        unansweredAtEnd = 0;
        unansweredAtEndNeverSent = 0;
    }

    /** Requests written: each of them is answered, shed, failed or unanswered at the end. */
    public long sentWholeRun() {
        return sentWholeRun;
    }

    /**
     * Requests sent again on a new connection because the server closed theirs, in order,
     * before any byte of their replies (it took none of them); each is one request of
     * {@link #sentWholeRun}, with one fate.
     */
    public long sentAgainWholeRun() {
        return sentAgainWholeRun;
    }

    /** Verified replies, warmup included (the progress line's requests/s). */
    public long answeredWholeRun() {
        return answeredWholeRun;
    }

    /** Requests the server refused with its load-shedding reply (verified), warmup included. */
    public long shedWholeRun() {
        return shedWholeRun;
    }

    /** Verified replies received while measuring: the run's requests and requests/s. */
    public long answeredMeasured() {
        return answeredMeasured;
    }

    /** Requests shed while measuring. */
    public long shedMeasured() {
        return shedMeasured;
    }

    /** Request bytes of the requests answered or shed while measuring. */
    public long bytesSentMeasured() {
        return bytesSentMeasured;
    }

    /** Reply bytes of the requests answered or shed while measuring. */
    public long bytesReceivedMeasured() {
        return bytesReceivedMeasured;
    }

    /**
     * Open loop: requests the plans put inside the measurement (each connection's plan from when
     * its first connection is ready, or from the measurement's start if none ever was); 0 in
     * closed loop.
     */
    public long plannedMeasured() {
        return plannedMeasured;
    }

    /**
     * Requests without a reply when the measurement ended, sent or (open loop) planned: their
     * latency up to then is in the corrected histogram.
     */
    public long unansweredAtEnd() {
        return unansweredAtEnd;
    }

    /** Of {@link #unansweredAtEnd}, requests planned (open loop) but never sent. */
    public long unansweredAtEndNeverSent() {
        return unansweredAtEndNeverSent;
    }
}
