package dev.ricochet.loadgen.report;

import dev.ricochet.loadgen.run.FindRate;
import dev.ricochet.loadgen.run.Millis;
import dev.ricochet.loadgen.run.RateGoal;
import java.util.Locale;
import java.util.Optional;

/** A search's answer in one sentence, as the text report ends and the JSON report's {@code find_rate.answer.text} says it. */
final class FindRateText {

    private FindRateText() {
    }

    /**
     * Such as {@code Highest rate with corrected p99 < 5ms: 48,000 requests/s (held twice: p99
     * 3.12 ms, 3.41 ms; the next step up, 52,000/s, did not: p99 12.7 ms)}; or why there is no
     * confirmed answer.
     */
    static String answer(FindRate f) {
        RateGoal goal = f.search().goal();
        String head = "Highest rate with corrected " + goal + ": ";
        Optional<FindRate.Step> missed = f.lowestMissedStep();
        if (f.confirmed()) {
            FindRate.Step held = f.answerStep().orElseThrow();
            FindRate.Step repeat = f.repeatStep().orElseThrow();
            String next = missed.map(m -> "; the next step up, " + rate(m.rate()) + "/s, did not: " + why(goal, m))
                    .orElse("; every rate tried held");
            return head + rate(held.rate()) + " requests/s (held twice: " + goal.label() + " " + value(held) + ", "
                    + value(repeat) + next + ")" + capNote(f, missed.isPresent());
        }
        if (f.ending() == FindRate.Ending.INTERRUPTED) {
            int judged = f.steps().size();
            return head + "not confirmed: the search was interrupted, " + judged + (judged == 1 ? " step" : " steps")
                    + " judged" + f.answerStep().map(s -> "; the highest rate that held was " + rate(s.rate()) + "/s ("
                            + goal.label() + " " + value(s) + ")").orElse("; no rate had held");
        }
        if (f.ending() == FindRate.Ending.ERROR) {
            FindRate.Step last = f.steps().getLast();
            return head + "not confirmed: the search ended on an error at step " + last.number() + ", "
                    + rate(last.rate()) + "/s (" + last.reason() + ")" + f.answerStep()
                            .map(s -> "; the last rate that held was " + rate(s.rate()) + "/s (" + goal.label() + " "
                                    + value(s) + ")")
                            .orElse("; no rate had held");
        }
        if (f.answer().isEmpty()) {
            return head + "none: every rate tried missed, down to " + missed.map(m -> rate(m.rate()) + "/s ("
                    + why(goal, m) + ")").orElse("none") + capNote(f, true);
        }
        FindRate.Step held = f.answerStep().orElseThrow();
        return head + "not confirmed: " + rate(held.rate()) + " requests/s held (" + goal.label() + " " + value(held)
                + ") but not on its repeat (" + f.repeatStep().map(FindRate.Step::reason).orElse("not run") + ")";
    }

    /** When the search reached its cap of steps, what that leaves open; nothing otherwise. */
    private static String capNote(FindRate f, boolean someMissed) {
        if (f.ending() != FindRate.Ending.STEP_CAP) {
            return "";
        }
        return ". The search hit its cap of " + f.search().maxSteps() + " steps (--find-rate-max-steps) "
                + (f.answer().isEmpty() ? "before any rate held"
                        : someMissed ? String.format(Locale.ROOT, "before the rates that held and did not were within"
                                + " %s%% of each other", percent(f.search().precision()))
                        : "before any rate failed: the highest rate that meets the goal is above this one");
    }

    /** Why a step did not hold, in short: its goal's figure when that is what missed, else its reason. */
    static String why(RateGoal goal, FindRate.Step step) {
        if (step.outcome() == FindRate.Outcome.MISSED && step.goalNanos() >= 0 && !goal.metBy(step.goalNanos())) {
            return goal.label() + " " + Millis.of(step.goalNanos());
        }
        return step.reason();
    }

    private static String value(FindRate.Step step) {
        return step.goalNanos() < 0 ? "-" : Millis.of(step.goalNanos());
    }

    static String rate(long perSecond) {
        return String.format(Locale.ROOT, "%,d", perSecond);
    }

    private static String percent(double fraction) {
        double p = 100 * fraction;
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }
}
