package dev.ricochet.loadgen.run;

/**
 * Latencies and counts of some stretch of a run: what one event loop recorded since it was
 * last taken, a second of the run, or the whole run. Reused rather than reallocated, as
 * HdrHistogram's {@code Recorder} recycles its interval histograms: whoever is handed one
 * resets it before it comes back.
 */
final class Tally {

    private final Latencies latencies = new Latencies();
    private final Counts counts = new Counts();

    Latencies latencies() {
        return latencies;
    }

    Counts counts() {
        return counts;
    }

    void add(Tally other) {
        latencies.add(other.latencies);
        counts.add(other.counts);
    }

    void reset() {
        latencies.reset();
        counts.reset();
    }
}
