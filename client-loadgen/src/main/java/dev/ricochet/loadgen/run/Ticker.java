package dev.ricochet.loadgen.run;

import org.HdrHistogram.Histogram;

/**
 * The run's once-a-second collection: takes what the event loops recorded over each interval
 * into one reused {@link Tally}, adds it to the run's totals, and describes it as a
 * {@link LoadRun.Interval}. The last interval, cut short by the end of the measurement, is
 * taken by {@link #last}. Used from the thread that drives the run only.
 */
final class Ticker {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final RunStats stats;
    private final int target;
    private final long startNanos;
    private final Tally second = new Tally();
    private final Tally totals = new Tally();
    private final Histogram connectTimes = RunStats.newHistogram();
    private Histogram connectInterval; // recycled by the recorder from the second interval on
    private long nextTickNanos;
    private long lastTickNanos;
    private long lastTickMillis;

    /**
     * @param target     the connections asked for, for the progress line
     * @param startNanos the start of the run, {@link System#nanoTime()} time: the first tick is a second later
     * @param startMillis the same, wall-clock (epoch milliseconds)
     */
    Ticker(RunStats stats, int target, long startNanos, long startMillis) {
        this.stats = stats;
        this.target = target;
        this.startNanos = startNanos;
        this.nextTickNanos = startNanos + SECOND_NANOS;
        this.lastTickNanos = startNanos;
        this.lastTickMillis = startMillis;
    }

    long nextTickNanos() {
        return nextTickNanos;
    }

    boolean due(long nowNanos) {
        return nowNanos >= nextTickNanos;
    }

    /**
     * Moves the ticks, from the next one on, to fall half a second off the seconds of
     * {@code anchorNanos} (the measurement's start): the measurement's start then lies in the
     * middle of an interval, far from either tick (at a tick, the loops' take would straddle
     * it), and shards started with one {@code --start-at} tick at the same instants, so that a
     * merge adds up their seconds. The interval under way lasts half a second to a second and
     * a half.
     */
    void phaseTo(long anchorNanos, long nowNanos) {
        long half = SECOND_NANOS / 2;
        long earliest = Math.max(nowNanos, lastTickNanos + half);
        long past = Math.floorMod(earliest - anchorNanos - half, SECOND_NANOS);
        nextTickNanos = past == 0 ? earliest : earliest + SECOND_NANOS - past;
    }

    /** The first measured interval starts when the measurement does, not at the previous tick. */
    void measurementStarted(long startMillis) {
        lastTickMillis = startMillis;
    }

    /**
     * Takes the interval that ends now; the next tick is due a second after this one was.
     *
     * @param stage where the run stands now (for the progress line, the log and the timeline);
     *              the interval is measured all the same if it holds anything measured
     */
    LoadRun.Interval tick(long nowNanos, Stage stage) {
        long tickMillis = System.currentTimeMillis();
        take(tickMillis);
        LoadRun.Interval interval = interval(nowNanos, tickMillis, stats.openConnections(), stage);
        lastTickMillis = tickMillis;
        lastTickNanos = nowNanos;
        nextTickNanos += SECOND_NANOS;
        return interval;
    }

    /**
     * Takes the last interval, from the previous tick to {@code endMillis}, once the measurement
     * has closed: taking it on each loop waits for any reply being recorded there, so the
     * totals hold still after it.
     *
     * @param openAtEnd connections up when the measurement ended
     */
    LoadRun.Interval last(long endMillis, int openAtEnd) {
        take(endMillis);
        return interval(System.nanoTime(), endMillis, openAtEnd, Stage.MEASURE);
    }

    /** Latencies and counts of every interval taken so far. */
    Tally totals() {
        return totals;
    }

    /** Time for each connection to come up, of every interval taken so far. */
    Histogram connectTimes() {
        return connectTimes;
    }

    private void take(long endMillis) {
        stats.takeInterval(second, lastTickMillis, endMillis);
        totals.add(second);
        connectInterval = stats.connectTime.getIntervalHistogram(connectInterval);
        connectTimes.add(connectInterval);
    }

    private LoadRun.Interval interval(long nowNanos, long endMillis, int open, Stage stage) {
        return new LoadRun.Interval((nowNanos - startNanos) / 1e9, nowNanos - lastTickNanos, endMillis, open, target,
                holdsMeasured() ? Stage.MEASURE : stage, second.latencies(), second.counts(), totals.counts(),
                stats.errors(), stats.reconnects());
    }

    /**
     * Whether the interval just taken holds anything measured. The event loops measure from the
     * measurement's start by their own clocks, and the take reaches them after the driving
     * thread read its clock: an interval that thread saw end just before the start can hold
     * the first measured replies. It is measured then, so that no measured latency is in an
     * interval said to be the warmup's (the log would drop it, the timeline would misplace it).
     */
    private boolean holdsMeasured() {
        Counts c = second.counts();
        Latencies l = second.latencies();
        return c.answeredMeasured() > 0 || c.shedMeasured() > 0 || l.corrected().getTotalCount() > 0
                || l.uncorrected().getTotalCount() > 0 || l.shed().getTotalCount() > 0
                || l.sendLag().getTotalCount() > 0;
    }
}
