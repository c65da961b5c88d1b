package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A search's plan, which grows a step at a time as each step starts: the plans carry on where
 * they are, learn the time of a point past the end before it is due, and give up an old step's
 * backlog when a new one starts.
 */
class GrowingPlanTest {

    private static final long MS = 1_000_000;
    private static final long ORIGIN = 50_000 * MS;

    private static List<RateProfile.Segment> step(double rate, long millis) {
        return List.of(RateProfile.Segment.step(rate, Duration.ofMillis(millis)));
    }

    private static Schedule openAt100PerSecondForOneSecond() {
        return new Schedule(new PlannedCount(new RateProfile(step(100, 1_000)), true));
    }

    @Test
    void anAppendedStepKeepsTheEarlierCountsAndTimesAndASilenceFillsTheGap() {
        PlannedCount first = new PlannedCount(new RateProfile(step(1_000, 1_000)), true);
        PlannedCount grown = first.plus(1_500 * MS, step(2_000, 1_000));

        assertThat(grown.phases()).isEqualTo(3);
        assertThat(grown.countAt(700 * MS)).isEqualTo(first.countAt(700 * MS)).isEqualTo(700);
        assertThat(grown.countAt(1_400 * MS)).as("the silence").isEqualTo(1_000);
        assertThat(grown.countAt(2_000 * MS)).isEqualTo(2_000);
        assertThat(grown.nanosOf(1_000, grown.phaseOf(1_000, 0))).as("the step's first request, at its start")
                .isEqualTo(1_500 * MS);
        assertThat(grown.endNanos()).isEqualTo(2_500 * MS);
        assertThat(grown.open()).isTrue();
    }

    @Test
    void aClosedPlanTakesNoMorePhases() {
        PlannedCount closed = new PlannedCount(new RateProfile(step(1_000, 1_000)), true).closed();

        assertThatThrownBy(() -> closed.plus(1_000 * MS, step(1, 1))).isInstanceOf(IllegalStateException.class);
        assertThat(new PlannedCount(RateProfile.parse("10:1s")).open()).as("a profile's").isFalse();
    }

    @Test
    void aPlanPastAnOpenEndLooksAgainAndLearnsItsNextTimeBeforeItIsDue() {
        Schedule schedule = openAt100PerSecondForOneSecond();
        SendPlan plan = new SendPlan(0, 1, schedule, LoadSpec.Arrivals.UNIFORM);
        plan.start(ORIGIN, ORIGIN);
        for (int i = 0; i < 100; i++) {
            assertThat(plan.due(ORIGIN + i * 10 * MS)).isTrue();
            plan.takeIntended(ORIGIN + i * 10 * MS);
        }

        // Past the end: not due, and woken to look again a little after the end.
        assertThat(plan.due(ORIGIN + 1_000 * MS)).isFalse();
        long lookAgain = plan.nextIntendedNanos();
        assertThat(lookAgain).isEqualTo(ORIGIN + 1_000 * MS + SendPlan.LOOK_AGAIN_NANOS);
        schedule.append(1_000 * MS + SearchRun.LEAD_NANOS, step(200, 1_000));

        assertThat(plan.due(lookAgain)).as("the new step starts later").isFalse();
        assertThat(plan.nextIntendedNanos()).isEqualTo(ORIGIN + 1_000 * MS + SearchRun.LEAD_NANOS);
        assertThat(plan.due(ORIGIN + 1_000 * MS + SearchRun.LEAD_NANOS)).isTrue();
    }

    @Test
    void aPlanPastAnOpenEndThatIsNotAppendedYetKeepsLookingAndSendsNothing() {
        Schedule schedule = openAt100PerSecondForOneSecond();
        SendPlan plan = new SendPlan(0, 1, schedule, LoadSpec.Arrivals.UNIFORM);
        plan.start(ORIGIN + 1_000 * MS, ORIGIN);

        long now = ORIGIN + 1_200 * MS;
        assertThat(plan.due(now)).isFalse();
        assertThat(plan.due(plan.nextIntendedNanos())).isFalse();
        assertThat(plan.nextIntendedNanos()).isEqualTo(now + 2 * SendPlan.LOOK_AGAIN_NANOS);
    }

    @Test
    void pastTheEndOfAClosedPlanNothingMoreIsPlanned() {
        Schedule schedule = openAt100PerSecondForOneSecond();
        schedule.close();
        SendPlan plan = new SendPlan(0, 1, schedule, LoadSpec.Arrivals.UNIFORM);
        plan.start(ORIGIN + 1_000 * MS, ORIGIN);

        assertThat(plan.nextIntendedNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aNewStepGivesUpTheBacklogOfTheOldOneCountingItUnansweredAndNeverSent() {
        Schedule schedule = openAt100PerSecondForOneSecond();
        LoopStats stats = new LoopStats();
        stats.startPhases(schedule.startsFrom(ORIGIN));
        SendPlan plan = new SendPlan(0, 1, schedule, LoadSpec.Arrivals.UNIFORM);
        plan.start(ORIGIN, ORIGIN);
        for (int i = 0; i < 30; i++) {
            plan.takeIntended(ORIGIN + i * 10 * MS); // then the connection went quiet: 70 unsent
        }
        long stepStart = 1_030 * MS;
        schedule.append(stepStart, step(200, 1_000));

        plan.abandonBefore(ORIGIN + stepStart, ORIGIN + 1_010 * MS, stats);

        assertThat(plan.nextIntendedNanos()).as("from the new step's first point").isEqualTo(ORIGIN + stepStart);
        Counts counts = stats.take().counts();
        assertThat(counts.unansweredAtEnd()).isEqualTo(70);
        assertThat(counts.unansweredAtEndNeverSent()).isEqualTo(70);
        plan.finish(ORIGIN + 2_100 * MS, ORIGIN, ORIGIN + 1_040 * MS, stats);
        PhaseTally[] phases = {new PhaseTally(), new PhaseTally(), new PhaseTally()};
        stats.addPhasesTo(phases);
        assertThat(phases[0].planned()).as("taken, and given up").isEqualTo(100);
        assertThat(phases[0].unansweredNeverSent()).isEqualTo(70);
        assertThat(phases[1].planned()).as("the silence").isZero();
        assertThat(phases[2].planned()).as("at 1,030, 1,035 and 1,040 ms, the end of the run").isEqualTo(3);
    }

    @Test
    void aWindowAsItStandsCountsItsPlannedRequestsAndThoseNotSentYetWithTheirLatencySoFar() {
        Schedule schedule = openAt100PerSecondForOneSecond();
        SendPlan plan = new SendPlan(0, 1, schedule, LoadSpec.Arrivals.UNIFORM);
        plan.start(ORIGIN, ORIGIN);
        for (int i = 0; i < 60; i++) {
            plan.takeIntended(ORIGIN + i * 10 * MS);
        }
        PhaseTally window = new PhaseTally();

        plan.addUnresolved(0, ORIGIN, ORIGIN + 1_000 * MS, ORIGIN + 1_200 * MS, window);

        assertThat(window.planned()).isEqualTo(100);
        assertThat(window.unanswered()).isEqualTo(40);
        assertThat(window.unansweredNeverSent()).isEqualTo(40);
        // The last one was planned at 990 ms: 210 ms ago.
        assertThat(window.corrected().getMinValue()).isBetween(209 * MS, 211 * MS);
        assertThat(plan.due(ORIGIN + 600 * MS)).as("the plan is left as it was").isTrue();
        assertThat(plan.nextIntendedNanos()).isEqualTo(ORIGIN + 600 * MS);
    }

    @Test
    void aLoopCountsARequestOfAnAppendedStepInThatStepsPhase() {
        Schedule schedule = openAt100PerSecondForOneSecond();
        LoopStats stats = new LoopStats();
        stats.startPhases(schedule.startsFrom(ORIGIN));
        stats.replied(true, ORIGIN + 500 * MS, ORIGIN + 500 * MS, ORIGIN + 501 * MS, 1, 1);
        schedule.append(1_100 * MS, step(200, 1_000));
        stats.replied(true, ORIGIN + 1_200 * MS, ORIGIN + 1_200 * MS, ORIGIN + 1_201 * MS, 1, 1);

        PhaseTally[] phases = {new PhaseTally(), new PhaseTally(), new PhaseTally()};
        stats.addPhasesTo(phases);
        assertThat(phases).extracting(PhaseTally::answered).containsExactly(1L, 0L, 1L);
    }
}
