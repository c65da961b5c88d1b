package dev.ricochet.loadgen.run;

import java.util.Arrays;

/**
 * What one event loop's connections did in each phase of a {@link RateProfile}, by the phase of
 * each request's planned send time, so that the spike's latencies are the spike's requests'
 * however late their replies came. Written by its loop alone, as {@link LoopStats} is; read by
 * the run once, on the loop, when the measurement is over.
 *
 * <p>Finding a request's phase costs a comparison or two: requests come to be recorded in
 * nearly the order they were planned, so the search starts from the last phase found.
 *
 * <p>A search's phases grow as its steps start ({@link Schedule}): the starts are read from
 * the run's plan as it stands, which holds the phase of any request this loop's plans made.
 */
final class LoopPhases {

    /**
     * When each phase starts, {@link System#nanoTime()} time, in order; the last one lasts until
     * the end. Phases may be added, never changed.
     */
    interface Starts {
        int count();

        long start(int phase);
    }

    private final Starts starts;
    /** Each phase's figures; created when the loop records its first request of that phase. */
    private PhaseTally[] tallies;
    private int last;

    /** @param starts when each phase starts, {@link System#nanoTime()} time, in order */
    LoopPhases(long[] starts) {
        this(fixed(starts.clone()));
    }

    LoopPhases(Starts starts) {
        this.starts = starts;
        this.tallies = new PhaseTally[Math.max(1, starts.count())];
    }

    private static Starts fixed(long[] starts) {
        return new Starts() {
            @Override
            public int count() {
                return starts.length;
            }

            @Override
            public long start(int phase) {
                return starts[phase];
            }
        };
    }

    /** The phase of a request planned at {@code intendedNanos}; -1 before the first (the warmup). */
    int phaseOf(long intendedNanos) {
        int count = starts.count();
        int p = Math.min(last, count - 1);
        while (p + 1 < count && intendedNanos >= starts.start(p + 1)) {
            p++;
        }
        while (p >= 0 && intendedNanos < starts.start(p)) {
            p--;
        }
        if (p >= 0) {
            last = p;
        }
        return p;
    }

    /** The figures of the phase of a request planned at {@code intendedNanos}; null in the warmup. */
    private PhaseTally of(long intendedNanos) {
        return tally(phaseOf(intendedNanos));
    }

    private PhaseTally tally(int phase) {
        if (phase < 0) {
            return null;
        }
        if (phase >= tallies.length) {
            tallies = Arrays.copyOf(tallies, Math.max(phase + 1, 2 * tallies.length));
        }
        PhaseTally t = tallies[phase];
        if (t == null) {
            t = PhaseTally.growing();
            tallies[phase] = t;
        }
        return t;
    }

    void replied(long intendedNanos, long sentNanos, long nowNanos) {
        PhaseTally t = of(intendedNanos);
        if (t != null) {
            t.answered++;
            t.corrected().recordValue(LoopStats.clamp(nowNanos - intendedNanos));
            t.uncorrected().recordValue(LoopStats.clamp(nowNanos - sentNanos));
        }
    }

    void shed(long intendedNanos) {
        PhaseTally t = of(intendedNanos);
        if (t != null) {
            t.shed++;
        }
    }

    void failed(long intendedNanos) {
        PhaseTally t = of(intendedNanos);
        if (t != null) {
            t.failed++;
        }
    }

    void unanswered(long nowNanos, long intendedNanos, long sentNanos) {
        PhaseTally t = of(intendedNanos);
        if (t != null) {
            t.recordUnanswered(nowNanos, intendedNanos, sentNanos);
        }
    }

    void unansweredUnsent(long nowNanos, long intendedNanos, long count) {
        PhaseTally t = of(intendedNanos);
        if (t != null) {
            t.recordUnansweredUnsent(nowNanos, intendedNanos, count);
        }
    }

    /** {@code count} requests the plans put in {@code phase}; none in the warmup (-1). */
    void planned(int phase, long count) {
        if (count > 0 && phase >= 0) {
            tally(phase).planned += count;
        }
    }

    /** Adds this loop's figures to {@code sums}, one per phase. */
    void addTo(PhaseTally[] sums) {
        for (int p = 0; p < Math.min(tallies.length, sums.length); p++) {
            if (tallies[p] != null) {
                sums[p].add(tallies[p]);
            }
        }
    }

    /** Adds this loop's figures of phase {@code phase} to {@code sum}. */
    void addTo(int phase, PhaseTally sum) {
        if (phase < tallies.length && tallies[phase] != null) {
            sum.add(tallies[phase]);
        }
    }
}
