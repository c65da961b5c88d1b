package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/** The search's decisions, fed the outcome of each step it hands out: no time, no sockets. */
class RateSearchTest {

    private static final FindRate.Outcome HELD = FindRate.Outcome.HELD;
    private static final FindRate.Outcome MISSED = FindRate.Outcome.MISSED;
    private static final FindRate.Outcome ERROR = FindRate.Outcome.ERROR;

    /** Runs the search against a server whose steps fare as {@code outcome} says, and returns the steps as "rate", "rate repeat". */
    private static List<String> run(RateSearch search, LongFunction<FindRate.Outcome> outcome) {
        List<String> steps = new ArrayList<>();
        for (RateSearch.Step step = search.next(); step != null; step = search.next()) {
            steps.add(step.rate() + (step.repeat() ? " repeat" : ""));
            search.record(outcome.apply(step.rate()));
        }
        return steps;
    }

    /** A server that holds every rate up to {@code knee}. */
    private static LongFunction<FindRate.Outcome> kneeAt(long knee) {
        return rate -> rate <= knee ? HELD : MISSED;
    }

    @Test
    void doublesUntilAStepMissesThenBisectsToWithinThePrecisionAndRepeatsTheAnswer() {
        RateSearch search = new RateSearch(1_000, 0.05, 12);

        // 5,250 held and 5,500 missed: 250 apart, within 5% of 5,250.
        assertThat(run(search, kneeAt(5_300))).containsExactly("1000", "2000", "4000", "8000", "6000", "5000", "5500",
                "5250", "5250 repeat");
        assertThat(search.ending()).isEqualTo(FindRate.Ending.CONVERGED);
        assertThat(search.answer()).hasValue(5_250);
        assertThat(search.lowestMissed()).hasValue(5_500);
        assertThat(search.confirmed()).isTrue();
    }

    @Test
    void stopsOnceTheRatesThatHeldAndMissedAreWithinThePrecisionOfTheOneThatHeld() {
        RateSearch search = new RateSearch(1_000, 0.25, 12);

        // 4,000 held, 5,000 missed: 1,000 apart, 25% of 4,000.
        assertThat(run(search, kneeAt(4_500))).containsExactly("1000", "2000", "4000", "8000", "6000", "5000",
                "4000 repeat");
    }

    @Test
    void halvesDownWhenTheFirstStepMissesThenBisects() {
        RateSearch search = new RateSearch(1_000, 0.1, 12);

        assertThat(run(search, kneeAt(300))).containsExactly("1000", "500", "250", "375", "312", "281", "296",
                "296 repeat");
        assertThat(search.answer()).hasValue(296);
        assertThat(search.lowestMissed()).hasValue(312);
    }

    @Test
    void anErrorEndsTheSearchWithTheLastRateThatHeldUnconfirmed() {
        RateSearch search = new RateSearch(1_000, 0.05, 12);

        assertThat(run(search, rate -> rate < 4_000 ? HELD : ERROR)).containsExactly("1000", "2000", "4000");
        assertThat(search.ending()).isEqualTo(FindRate.Ending.ERROR);
        assertThat(search.answer()).hasValue(2_000);
        assertThat(search.confirmed()).as("never repeated").isFalse();
        assertThat(search.repeatOutcome()).isEmpty();
    }

    @Test
    void endsAtItsCapOfStepsAndRepeatsTheBestSoFar() {
        RateSearch search = new RateSearch(1_000, 0.01, 5);

        assertThat(run(search, kneeAt(5_300))).containsExactly("1000", "2000", "4000", "8000", "6000", "4000 repeat");
        assertThat(search.ending()).isEqualTo(FindRate.Ending.STEP_CAP);
        assertThat(search.searched()).isEqualTo(5);
    }

    @Test
    void atItsCapWithEveryStepHeldTheAnswerIsALowerBound() {
        RateSearch search = new RateSearch(100, 0.05, 3);

        assertThat(run(search, rate -> HELD)).containsExactly("100", "200", "400", "400 repeat");
        assertThat(search.ending()).isEqualTo(FindRate.Ending.STEP_CAP);
        assertThat(search.lowestMissed()).isEmpty();
        assertThat(search.confirmed()).isTrue();
    }

    @Test
    void aRepeatThatMissesLeavesTheAnswerUnconfirmed() {
        RateSearch search = new RateSearch(1_000, 0.5, 12);
        List<String> steps = new ArrayList<>();
        for (RateSearch.Step step = search.next(); step != null; step = search.next()) {
            steps.add(step.rate() + (step.repeat() ? " repeat" : ""));
            search.record(step.repeat() ? MISSED : kneeAt(2_500).apply(step.rate()));
        }

        assertThat(steps).containsExactly("1000", "2000", "4000", "3000", "2000 repeat");
        assertThat(search.answer()).hasValue(2_000);
        assertThat(search.confirmed()).isFalse();
        assertThat(search.repeatOutcome()).hasValue(MISSED);
    }

    @Test
    void endsWithNoAnswerWhenEveryRateMissesDownToOnePerSecond() {
        RateSearch search = new RateSearch(8, 0.05, 12);

        assertThat(run(search, rate -> MISSED)).containsExactly("8", "4", "2", "1");
        assertThat(search.ending()).isEqualTo(FindRate.Ending.NO_RATE_LEFT);
        assertThat(search.answer()).isEmpty();
        assertThat(search.lowestMissed()).hasValue(1);
    }

    @Test
    void endsWhenNoWholeRateLiesBetweenTheOneThatHeldAndTheOneThatMissed() {
        RateSearch search = new RateSearch(2, 0.01, 12);

        assertThat(run(search, kneeAt(5))).containsExactly("2", "4", "8", "6", "5", "5 repeat");
        assertThat(search.ending()).isEqualTo(FindRate.Ending.CONVERGED);
    }

    @Test
    void wantsEachStepsOutcomeBeforeTheNextStep() {
        RateSearch search = new RateSearch(1_000, 0.05, 12);
        search.next();

        assertThatThrownBy(search::next).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1000/s has no outcome yet");
    }
}
