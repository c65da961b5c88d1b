package dev.ricochet.loadgen.run;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The decisions of a search for the highest rate that meets a latency goal, fed the outcome of
 * each step it hands out: which rate to try next, when to stop, and the answer. It knows
 * nothing of time or connections (the run measures each step, see {@link SearchRun}).
 *
 * <p>It steps up from the first rate, doubling, until a step misses the goal; then it bisects
 * between the highest rate that held and the lowest that did not, until they are within
 * {@code precision} of the one that held. When the very first step misses, it halves down
 * until one holds, then bisects the same way. A step that ends on an error (a lost connection,
 * a failed request, a mismatch) ends the search: what held before it stands. At most
 * {@code maxSteps} steps are searched; a search that reaches the cap ends there, short of its
 * precision. Rates are whole requests per second. Once the search is over, its answer (the
 * highest rate that held) is tried once more, a repeat: the answer is confirmed when the repeat
 * holds too. No rate but the answer is tried twice.
 */
final class RateSearch {

    /**
     * A step to run.
     *
     * @param rate   requests per second
     * @param repeat whether it repeats the search's answer
     */
    record Step(long rate, boolean repeat) {
    }

    private final long fromRate;
    private final double precision;
    private final int maxSteps;
    private int searched;
    /** The highest rate that held, and the lowest that did not; 0 while there is none. */
    private long held;
    private long missed;
    private FindRate.Ending ending;
    private Step pending;
    private FindRate.Outcome repeatOutcome;
    private boolean repeated;

    /**
     * @param fromRate  the first step's rate, at least 1
     * @param precision how close the answer must be to the lowest rate that failed, as a
     *                  fraction of the answer, above 0 and below 1
     * @param maxSteps  the steps searched at most, the repeat aside: at least 1
     */
    RateSearch(long fromRate, double precision, int maxSteps) {
        if (fromRate < 1 || !(precision > 0 && precision < 1) || maxSteps < 1) {
            throw new IllegalArgumentException("from " + fromRate + ", precision " + precision + ", " + maxSteps
                    + " steps (expected: from >= 1, 0 < precision < 1, steps >= 1)");
        }
        this.fromRate = fromRate;
        this.precision = precision;
        this.maxSteps = maxSteps;
    }

    /**
     * The next step to run, whose outcome {@link #record} takes before the next call; null when
     * there is none left: the search is over and its answer was repeated, or it has none.
     */
    Step next() {
        if (pending != null) {
            throw new IllegalStateException("the step at " + pending.rate() + "/s has no outcome yet");
        }
        if (ending == null) {
            long rate = nextRate();
            if (rate > 0) {
                pending = new Step(rate, false);
                return pending;
            }
        }
        if (ending != FindRate.Ending.ERROR && held > 0 && !repeated) {
            repeated = true;
            pending = new Step(held, true);
            return pending;
        }
        return null;
    }

    /** The next rate to search, or 0 once the search has ended (its {@link #ending} set). */
    private long nextRate() {
        if (held > 0 && missed > 0 && missed - held <= precision * held) {
            ending = FindRate.Ending.CONVERGED;
            return 0;
        }
        if (searched == maxSteps) {
            ending = FindRate.Ending.STEP_CAP;
            return 0;
        }
        long rate;
        if (missed == 0) {
            rate = held == 0 ? fromRate : held > Long.MAX_VALUE / 2 ? 0 : held * 2;
        } else if (held == 0) {
            rate = missed / 2;
        } else {
            rate = held + (missed - held) / 2;
        }
        if (held > 0 && missed > 0 && (rate <= held || rate >= missed)) {
            ending = FindRate.Ending.CONVERGED; // no whole rate between them
            return 0;
        }
        if (rate < 1) {
            ending = held == 0 ? FindRate.Ending.NO_RATE_LEFT : FindRate.Ending.STEP_CAP;
            return 0;
        }
        return rate;
    }

    /** The outcome of the step {@link #next} handed out last. */
    void record(FindRate.Outcome outcome) {
        Step step = pending;
        if (step == null) {
            throw new IllegalStateException("no step was handed out");
        }
        pending = null;
        if (step.repeat()) {
            repeatOutcome = outcome;
            return;
        }
        searched++;
        if (outcome == FindRate.Outcome.HELD) {
            held = Math.max(held, step.rate());
        } else {
            missed = missed == 0 ? step.rate() : Math.min(missed, step.rate());
        }
        if (outcome == FindRate.Outcome.ERROR) {
            ending = FindRate.Ending.ERROR;
        }
    }

    /** Why the search ended, once it has (when {@link #next} hands out the repeat, or nothing); null before. */
    FindRate.Ending ending() {
        return ending;
    }

    /** Steps searched so far, the repeat aside. */
    int searched() {
        return searched;
    }

    int maxSteps() {
        return maxSteps;
    }

    /** The highest rate that held, if any did. */
    OptionalLong answer() {
        return held > 0 ? OptionalLong.of(held) : OptionalLong.empty();
    }

    /** The lowest rate that did not hold, if any: above the answer. */
    OptionalLong lowestMissed() {
        return missed > 0 ? OptionalLong.of(missed) : OptionalLong.empty();
    }

    /** What became of the answer's repeat; empty before it ran, or when there was none. */
    Optional<FindRate.Outcome> repeatOutcome() {
        return Optional.ofNullable(repeatOutcome);
    }

    /** Whether the answer held twice: in the search, and on its repeat. */
    boolean confirmed() {
        return repeatOutcome == FindRate.Outcome.HELD;
    }
}
