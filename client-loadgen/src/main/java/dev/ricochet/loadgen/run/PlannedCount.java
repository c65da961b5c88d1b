package dev.ricochet.loadgen.run;

import java.util.List;

/**
 * The run's open-loop plan as one curve: C(t), how many requests the whole run (every
 * connection, every shard) plans from the start of the measurement to {@code t} nanoseconds
 * into it, and its inverse. A slot's requests are points on this count scale (see
 * {@link SendPlan}): its k-th is planned when C reaches {@code k × connections + slot}, so the
 * slots take turns evenly through steps and ramps alike, and no slot is left on an old, long
 * interval after a step up. With one constant rate this is the even plan of {@code --rate}.
 *
 * <p>C is piecewise: in phase p (a segment of the {@link RateProfile}) linear for a step and
 * quadratic for a ramp. Before the measurement, in the warmup, the rate is the profile's first
 * one (C is negative there); past the profile's end C stays flat: nothing more is planned.
 * The request planned at count c is due at the first nanosecond C passes c: a zero-rate
 * phase plans nothing, and a count at a phase's boundary belongs to the phase that starts
 * there. Its planned time is rounded down to the nanosecond, and always falls inside the
 * phase its count does, so that a request's phase by count (its plan's) and by planned time
 * (its reply's, see {@link LoopPhases}) are the same.
 *
 * <p>Immutable, shared by every plan of a run. Built whole before the load starts from a fixed
 * list of phases. A mode that decides each phase's rate only when it starts (a search for the
 * highest rate that meets a latency goal, each step a fresh warmup and window on the same
 * connections) needs no other curve: it would append each phase here when it starts,
 * published before any plan's count can pass the end of the previous one (plans read phases
 * only up to the count they are at, and a plan past the end would look again when its clock
 * wakes it instead of taking {@link Long#MAX_VALUE} for good), and hand the event loops'
 * {@link LoopPhases} the new phase's start the same way {@link LoadRun} hands them all today.
 */
final class PlannedCount {

    private static final double NANOS_PER_SECOND = 1e9;

    /** Requests per second before the measurement: the profile's starting rate. */
    private final double warmupRate;
    /** Phase p starts {@code starts[p]} nanoseconds into the measurement; {@code starts[phases]} is its end. */
    private final long[] starts;
    /** C at each of {@link #starts}. */
    private final double[] counts;
    /** Each phase's rate at its start, requests per second. */
    private final double[] rates;
    /** Each phase's change of rate per second, per second: 0 for a step. */
    private final double[] slopes;

    PlannedCount(RateProfile profile) {
        List<RateProfile.Segment> segments = profile.segments();
        int n = segments.size();
        starts = new long[n + 1];
        counts = new double[n + 1];
        rates = new double[n];
        slopes = new double[n];
        for (int p = 0; p < n; p++) {
            RateProfile.Segment s = segments.get(p);
            long nanos = s.duration().toNanos();
            rates[p] = s.from();
            slopes[p] = (s.to() - s.from()) / s.seconds();
            starts[p + 1] = starts[p] + nanos;
            counts[p + 1] = counts[p] + s.requests();
        }
        warmupRate = profile.startRate();
    }

    /** The phases: the profile's segments. */
    int phases() {
        return rates.length;
    }

    /** When phase {@code p} starts, in nanoseconds into the measurement; {@code phases()} gives its end. */
    long phaseStartNanos(int p) {
        return starts[p];
    }

    /** C where phase {@code p} starts; {@code phases()} gives the count of the whole measurement. */
    double countAtPhaseStart(int p) {
        return counts[p];
    }

    /** C at {@code nanos} into the measurement: negative before it, flat after it. */
    double countAt(long nanos) {
        if (nanos < 0) {
            return warmupRate * nanos / NANOS_PER_SECOND;
        }
        int p = 0;
        while (p < phases() && nanos >= starts[p + 1]) {
            p++;
        }
        if (p == phases()) {
            return counts[p];
        }
        // Products of whole numbers first, one division last: a whole count comes out exact.
        double into = nanos - starts[p];
        return counts[p] + (rates[p] * into + slopes[p] * into * (into / NANOS_PER_SECOND) / 2) / NANOS_PER_SECOND;
    }

    /**
     * The phase {@code count} falls in, found from {@code guess} (a plan's counts only grow, so
     * the phase of its last one is a guess a step or two from the answer): -1 before the
     * measurement, {@code phases()} at or past its end.
     */
    int phaseOf(double count, int guess) {
        int p = Math.max(-1, Math.min(phases(), guess));
        while (p < phases() && count >= counts[p + 1]) {
            p++;
        }
        while (p >= 0 && count < counts[p]) {
            p--;
        }
        return p;
    }

    /**
     * When the run's request {@code count} is planned, in whole nanoseconds into the
     * measurement (rounded down, and inside phase {@code phase}); {@link Long#MAX_VALUE} when
     * it lies past the end, where nothing is planned.
     *
     * @param phase {@link #phaseOf} the count
     */
    long nanosOf(double count, int phase) {
        if (phase >= phases()) {
            return Long.MAX_VALUE;
        }
        if (phase < 0) {
            // The warmup runs at the first rate; at rate 0 it plans nothing, and no plan asks.
            return warmupRate > 0 ? Math.min(-1, (long) Math.floor(count * NANOS_PER_SECOND / warmupRate))
                    : Long.MIN_VALUE / 2;
        }
        double into = count - counts[phase];
        double rate = rates[phase];
        double slope = slopes[phase];
        double nanos;
        if (into <= 0) {
            nanos = 0;
        } else if (slope == 0) {
            // One division of whole numbers: a time that is a whole nanosecond comes out exact.
            nanos = into * NANOS_PER_SECOND / rate;
        } else {
            // The root of slope/2 τ² + rate τ = into, in the form that stays exact when the slope is small.
            nanos = 2 * into / (rate + Math.sqrt(Math.max(0, rate * rate + 2 * slope * into))) * NANOS_PER_SECOND;
        }
        // Rounding must not carry a count of this phase past its end, into the next one's time.
        return starts[phase] + (long) Math.floor(Math.min(nanos, starts[phase + 1] - 1 - starts[phase]));
    }
}
