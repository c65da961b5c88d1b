package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a search judges one step's window, as it stood after the settle. */
class StepJudgementTest {

    private static final long MS = 1_000_000;
    private static final RateGoal P99_UNDER_5MS = RateGoal.parse("p99<5ms");
    private static final Duration SETTLE = Duration.ofMillis(200);

    /** A window of {@code planned} requests, {@code answered} of them answered in {@code latencyMs}. */
    private static PhaseTally window(long planned, long answered, long latencyMs) {
        PhaseTally w = new PhaseTally();
        w.planned = planned;
        for (long i = 0; i < answered; i++) {
            w.answered++;
            w.corrected().recordValue(latencyMs * MS);
            w.uncorrected().recordValue(latencyMs * MS);
        }
        return w;
    }

    private static SearchRun.Judgement judge(PhaseTally window, Map<ErrorKind, Long> errors, long lost) {
        return SearchRun.judge(P99_UNDER_5MS, 0.95, SETTLE, window, errors, lost);
    }

    @Test
    void holdsWhenTheGoalIsMetNothingWentWrongAndThePlannedRequestsWereAnswered() {
        SearchRun.Judgement j = judge(window(1_000, 1_000, 2), Map.of(ErrorKind.TIMEOUT, 0L), 0);

        assertThat(j.outcome()).isEqualTo(FindRate.Outcome.HELD);
        assertThat(j.reason()).isEmpty();
    }

    @Test
    void countsARequestStillUnansweredWithItsLatencySoFarNeverAsAbsent() {
        PhaseTally w = window(1_000, 980, 2);
        for (int i = 0; i < 20; i++) {
            w.recordUnanswered(1_300 * MS, 1_000 * MS, 1_000 * MS); // stuck for 300 ms
        }

        SearchRun.Judgement j = judge(w, Map.of(), 0);

        assertThat(j.outcome()).isEqualTo(FindRate.Outcome.MISSED);
        assertThat(j.reason()).isEqualTo("p99 300 ms, not below 5ms (20 unanswered 200 ms after the window)")
                .doesNotContain("below 95");
    }

    @Test
    void missesWhenAnyRequestWasShed() {
        PhaseTally w = window(1_000, 999, 1);
        w.shed = 1;

        SearchRun.Judgement j = judge(w, Map.of(), 0);

        assertThat(j.outcome()).isEqualTo(FindRate.Outcome.MISSED);
        assertThat(j.reason()).isEqualTo("1 shed");
    }

    @Test
    void missesWhenTooFewOfThePlannedRequestsWereAnsweredHoweverFastTheyWere() {
        PhaseTally w = window(1_000, 900, 1);
        w.recordUnansweredUnsent(2_000 * MS, 1_999 * MS, 100); // never sent, 1 ms after their planned time

        SearchRun.Judgement j = SearchRun.judge(RateGoal.parse("p50<5ms"), 0.95, SETTLE, w, Map.of(), 0);

        assertThat(j.outcome()).isEqualTo(FindRate.Outcome.MISSED);
        assertThat(j.reason()).isEqualTo("90.0% of the planned requests answered, below 95.0%");
    }

    @Test
    void anErrorOrALostConnectionEndsTheSearchWhateverTheLatency() {
        SearchRun.Judgement failed = judge(window(1_000, 998, 1), Map.of(ErrorKind.TIMEOUT, 2L, ErrorKind.RESET, 0L), 0);
        SearchRun.Judgement lost = judge(window(1_000, 1_000, 1), Map.of(ErrorKind.CLOSED_EARLY, 1L), 1);

        assertThat(failed.outcome()).isEqualTo(FindRate.Outcome.ERROR);
        assertThat(failed.reason()).isEqualTo("2 errors (timeout 2)");
        assertThat(lost.outcome()).isEqualTo(FindRate.Outcome.ERROR);
        assertThat(lost.reason()).isEqualTo("1 connection lost; 1 error (closed early 1)");
    }

    @Test
    void aWindowWithoutRequestsDoesNotHold() {
        SearchRun.Judgement j = judge(window(0, 0, 0), Map.of(), 0);

        assertThat(j.outcome()).isEqualTo(FindRate.Outcome.MISSED);
        assertThat(j.reason()).isEqualTo("no request planned in the window");
    }
}
