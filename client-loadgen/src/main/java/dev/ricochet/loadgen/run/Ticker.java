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

    /** The first measured interval starts when the measurement does, not at the previous tick. */
    void measurementStarted(long startMillis) {
        lastTickMillis = startMillis;
    }

    /**
     * Takes the interval that ends now; the next tick is due a second after this one was.
     *
     * @param measuring whether the interval counts as measured (for the progress line and the log)
     */
    LoadRun.Interval tick(long nowNanos, boolean measuring) {
        long tickMillis = System.currentTimeMillis();
        take(tickMillis);
        LoadRun.Interval interval = interval(nowNanos, stats.openConnections(), measuring);
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
        return interval(System.nanoTime(), openAtEnd, true);
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

    private LoadRun.Interval interval(long nowNanos, int open, boolean measuring) {
        return new LoadRun.Interval((nowNanos - startNanos) / 1e9, nowNanos - lastTickNanos, open, target,
                second.latencies(), second.counts(), totals.counts(), stats.totalErrors(), measuring);
    }
}
