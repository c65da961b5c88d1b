package dev.ricochet.loadgen.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a search for the highest rate that meets a latency goal found ({@code --find-rate}): its
 * steps in the order they ran, why it ended, and its answer.
 *
 * @param search    the search asked for
 * @param warmup    each step's warmup, at its rate, not judged
 * @param window    each step's measured window, judged
 * @param settle    how long each step went on at its rate after its window before it was judged
 * @param steps     every step, in order: the search's, then the repeat of its answer if any
 * @param ending    why the search (before its repeat) ended; {@link Ending#INTERRUPTED} when a
 *                  signal stopped it, its repeat included
 * @param answer    the highest rate that held in the search, if any did
 * @param lowestMissed the lowest rate that did not hold, if any did not (above the answer)
 */
public record FindRate(LoadSpec.Search search, Duration warmup, Duration window, Duration settle, List<Step> steps,
        Ending ending, OptionalLong answer, OptionalLong lowestMissed) {

    public FindRate {
        steps = List.copyOf(steps);
    }

    /** What became of a step. */
    public enum Outcome {
        /** Its window met the goal, nothing failed, was shed or was lost, and the rate was achieved. */
        HELD,
        /** It did not meet the goal (latency, shed requests, or the rate not achieved). */
        MISSED,
        /** It ended on an error: a lost connection, a failed request, a mismatch. The search ends. */
        ERROR
    }

    /** Why the search (before its repeat) ended. */
    public enum Ending {
        /** The highest rate that held and the lowest that did not are within the precision. */
        CONVERGED,
        /** It reached its cap of steps first. */
        STEP_CAP,
        /** A step ended on an error. */
        ERROR,
        /** Every rate tried missed, down to 1 request per second. */
        NO_RATE_LEFT,
        /**
         * A signal stopped it (SIGINT, SIGTERM) before it was over, or before its answer's repeat
         * was judged: the steps judged so far are its steps, the one under way left unjudged.
         */
        INTERRUPTED
    }

    /**
     * One step: a warmup, a window and a settle at one rate, on the run's connections; its
     * figures are its window's requests (each counted by its planned send time) as they stood
     * when it was judged, after the settle: answered, shed, failed, or unanswered with their
     * latency so far.
     *
     * @param number         from 1, in the order the steps ran
     * @param rate           requests per second planned
     * @param repeat         whether it repeats the search's answer
     * @param startSeconds   when its warmup started, in seconds from the start of the search
     * @param windowStartMillis when its window started, wall-clock (epoch milliseconds), so that
     *                       readings taken beside the run (the server's CPU) can cover it
     * @param windowSeconds  its window's length
     * @param window         its window's requests
     * @param errors         errors of every kind from the previous step's judgement to its own
     * @param connectionsLost connections lost over the same time
     * @param outcome        held, missed, or ended on an error
     * @param goalNanos      the goal's percentile of its window's corrected latency; -1 without samples
     * @param reason         why it did not hold; empty when it held
     */
    public record Step(int number, long rate, boolean repeat, double startSeconds, long windowStartMillis,
            double windowSeconds,
            PhaseTally window, Map<ErrorKind, Long> errors, long connectionsLost, Outcome outcome, long goalNanos,
            String reason) {

        public Step {
            errors = Map.copyOf(errors);
        }

        public boolean held() {
            return outcome == Outcome.HELD;
        }

        /** Requests of the window answered (by the judgement) per second of the window. */
        public double answeredPerSecond() {
            return window.answered() / windowSeconds;
        }

        /** When its window ended, wall-clock (epoch milliseconds). */
        public long windowEndMillis() {
            return windowStartMillis + Math.round(windowSeconds * 1000);
        }

        public long errorsTotal() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The search's step at the answer's rate (not its repeat), if there is an answer. */
    public Optional<Step> answerStep() {
        return answer.isEmpty() ? Optional.empty()
                : steps.stream().filter(s -> !s.repeat() && s.rate() == answer.getAsLong()).findFirst();
    }

    /** The step at the lowest rate that did not hold, if any. */
    public Optional<Step> lowestMissedStep() {
        return lowestMissed.isEmpty() ? Optional.empty()
                : steps.stream().filter(s -> !s.repeat() && s.rate() == lowestMissed.getAsLong()).findFirst();
    }

    /** The repeat of the answer, if it ran. */
    public Optional<Step> repeatStep() {
        return steps.stream().filter(Step::repeat).findFirst();
    }

    /** Whether the answer held twice: in the search, and on its repeat. */
    public boolean confirmed() {
        return repeatStep().map(Step::held).orElse(false);
    }

    /** Steps the search ran, its repeat aside. */
    public long searched() {
        return steps.stream().filter(s -> !s.repeat()).count();
    }
}
