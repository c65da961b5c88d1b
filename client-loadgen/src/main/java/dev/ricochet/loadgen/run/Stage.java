package dev.ricochet.loadgen.run;

import java.util.Locale;

/**
 * Where a run stood in an interval, in the order a run goes through them: what a report's
 * timeline shades. A {@code --find-rate} search measures from the start of its load (each step
 * has its own warmup): it goes from {@link #CONNECT} to {@link #MEASURE}. A {@code --churn} run
 * has no connect phase: it goes from {@link #WARMUP} to {@link #MEASURE}.
 */
public enum Stage {
    /** Before the load started: the connect phase (and, with {@code --start-at}, the wait after it). */
    CONNECT,
    /** The load on, not measured: no latency is recorded. */
    WARMUP,
    /** Measured. */
    MEASURE;

    /** The stage as the JSON report names it: {@code connect}, {@code warmup}, {@code measure}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
