package dev.ricochet.loadgen.run;

import java.util.Arrays;
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
 * <p>Immutable, shared by every plan of a run. A run of one profile builds it whole before the
 * load starts, and it is closed: past its end nothing more is planned, ever. A search for the
 * highest rate that meets a latency goal ({@code --find-rate}) decides each step's rate only
 * when the step starts: its curve is open, and the run's {@link Schedule} replaces it by a
 * longer one ({@link #plus}) as each step starts, on the same count scale, so that the plans
 * carry on where they are. A plan whose next count lies past an open curve's end looks again
 * shortly (see {@link SendPlan}), instead of taking {@link Long#MAX_VALUE} for good.
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
    /** Whether phases may still be appended past the end (see {@link #plus}). */
    private final boolean open;

    /** The plan of {@code profile}: closed, nothing is planned past its end. */
    PlannedCount(RateProfile profile) {
        this(profile, false);
    }

    /**
     * The plan of {@code profile}, the warmup before it at its first rate.
     *
     * @param open whether phases may be appended later ({@link #plus}): a plan past the end then
     *             looks again instead of planning nothing more
     */
    PlannedCount(RateProfile profile, boolean open) {
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
        this.open = open;
    }

    private PlannedCount(double warmupRate, long[] starts, double[] counts, double[] rates, double[] slopes,
            boolean open) {
        this.warmupRate = warmupRate;
        this.starts = starts;
        this.counts = counts;
        this.rates = rates;
        this.slopes = slopes;
        this.open = open;
    }

    /**
     * This plan with {@code segments} appended as phases from {@code startNanos} into the
     * measurement on, a silence (a phase at rate 0) filling any time between this plan's end
     * and there; still open. The counts and times of this plan's phases stay as they are.
     *
     * @param startNanos at or after this plan's end
     * @throws IllegalStateException when this plan is closed
     */
    PlannedCount plus(long startNanos, List<RateProfile.Segment> segments) {
        if (!open) {
            throw new IllegalStateException("a closed plan takes no more phases");
        }
        long end = endNanos();
        if (startNanos < end) {
            throw new IllegalArgumentException("startNanos: " + startNanos + " (expected: >= the end, " + end + ")");
        }
        int gap = startNanos > end ? 1 : 0;
        int n = phases() + gap + segments.size();
        long[] s = Arrays.copyOf(starts, n + 1);
        double[] c = Arrays.copyOf(counts, n + 1);
        double[] r = Arrays.copyOf(rates, n);
        double[] k = Arrays.copyOf(slopes, n);
        int p = phases();
        if (gap == 1) {
            s[p + 1] = startNanos;
            c[p + 1] = c[p];
            p++;
        }
        for (RateProfile.Segment segment : segments) {
            r[p] = segment.from();
            k[p] = (segment.to() - segment.from()) / segment.seconds();
            s[p + 1] = s[p] + segment.duration().toNanos();
            c[p + 1] = c[p] + segment.requests();
            p++;
        }
        return new PlannedCount(warmupRate, s, c, r, k, true);
    }

    /** This plan, closed: nothing more will be appended, and nothing is planned past its end. */
    PlannedCount closed() {
        return open ? new PlannedCount(warmupRate, starts, counts, rates, slopes, false) : this;
    }

    /** Whether phases may still be appended (see {@link #plus}). */
    boolean open() {
        return open;
    }

    /** When the last phase ends, in nanoseconds into the measurement. */
    long endNanos() {
        return starts[phases()];
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
