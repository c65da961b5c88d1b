package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendPlanTest {

    private static final long MS = 1_000_000;

    /** The run's plan at {@code perSecond} for an hour: what --rate plans. */
    private static PlannedCount constant(double perSecond) {
        return new PlannedCount(RateProfile.constant(perSecond, Duration.ofHours(1)));
    }

    private static SendPlan uniform(int slot, int connections, PlannedCount schedule) {
        return new SendPlan(slot, connections, schedule, LoadSpec.Arrivals.UNIFORM);
    }

    @Test
    void closedLoopAlwaysHasARequestDueChargedFromItsSend() {
        SendPlan plan = uniform(0, 1, null);
        plan.start(0, 0);
        assertThat(plan.openLoop()).isFalse();
        assertThat(plan.due(5 * MS)).isTrue();
        assertThat(plan.takeIntended(5 * MS)).isEqualTo(5 * MS);
        assertThat(plan.due(5 * MS)).as("no schedule holds the next one back").isTrue();
    }

    @Test
    void numbersTheRequestsOfEachSlotFromItsOwnStart() {
        SendPlan plan = uniform(3, 4, null);
        assertThat(plan.nextSequence()).isEqualTo(3L << 32);
        assertThat(plan.takeSequence()).isEqualTo(3L << 32);
        assertThat(plan.takeSequence()).isEqualTo((3L << 32) + 1);
        assertThat(plan.nextSequence()).isEqualTo((3L << 32) + 2);
    }

    @Test
    void openLoopSpacesTheRequestsOneIntervalApartFromTheSlotsShareOfIt() {
        SendPlan plan = uniform(1, 4, constant(40)); // each slot every 100 ms; the second of four a quarter in
        plan.start(1_000 * MS, 1_000 * MS);
        assertThat(plan.due(1_024 * MS)).isFalse();
        assertThat(plan.nextIntendedNanos()).isEqualTo(1_025 * MS);
        assertThat(plan.due(1_025 * MS)).isTrue();
        assertThat(plan.takeIntended(1_030 * MS)).as("charged from its planned time").isEqualTo(1_025 * MS);
        assertThat(plan.nextIntendedNanos()).isEqualTo(1_125 * MS);
    }

    @Test
    void aSingleStepIsTheEvenConstantRatePlan() {
        // 7 slots at 70,000/s: each every 100 µs, slot i at i/7 of that, as the plan of --rate always was.
        long interval = 100_000;
        long origin = 123_456_789;
        PlannedCount schedule = constant(70_000);
        for (int slot = 0; slot < 7; slot++) {
            SendPlan plan = uniform(slot, 7, schedule);
            plan.start(origin, origin);
            for (long k = 0; k < 1_000; k++) {
                assertThat(plan.takeIntended(0)).as("slot %d, request %d", slot, k)
                        .isEqualTo(origin + interval * slot / 7 + k * interval);
            }
        }
    }

    @Test
    void aSlotThatStartsLateTakesItsFirstPointFromThenOn() {
        SendPlan plan = uniform(1, 4, constant(40)); // points at 25, 125, 225, ... ms
        plan.start(130 * MS, 0);
        assertThat(plan.nextIntendedNanos()).as("not the points before it started").isEqualTo(225 * MS);
    }

    @Test
    void aLateConnectionFindsTheRequestsPlannedMeanwhileAllDue() {
        SendPlan plan = uniform(0, 1, constant(100));
        plan.start(0, 0);
        List<Long> intended = new ArrayList<>();
        while (plan.due(35 * MS)) {
            intended.add(plan.takeIntended(35 * MS));
        }
        assertThat(intended).containsExactly(0L, 10 * MS, 20 * MS, 30 * MS);
    }

    @Test
    void startsOnceSoThatTheSlotsNextConnectionCarriesThePlanOn() {
        SendPlan plan = uniform(0, 1, constant(100));
        plan.start(0, 0);
        plan.takeIntended(0);
        plan.start(500 * MS, 0);
        assertThat(plan.nextIntendedNanos()).isEqualTo(10 * MS);
    }

    @Test
    void plansNothingPastTheEndOfTheMeasurement() {
        SendPlan plan = uniform(0, 1, new PlannedCount(RateProfile.parse("100:25ms")));
        plan.start(0, 0);
        for (int i = 0; i < 3; i++) {
            plan.takeIntended(0); // 0, 10 and 20 ms
        }
        assertThat(plan.nextIntendedNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(plan.due(Long.MAX_VALUE - 1)).isFalse();
    }

    @Test
    void countsAsPlannedTheRequestsTakenAndThoseLeftUnsentInTheMeasurementOnly() {
        SendPlan plan = uniform(0, 1, constant(100));
        plan.start(-30 * MS, 0); // in the warmup: -30, -20, -10, then 0, 10, ... in the measurement
        for (int i = 0; i < 5; i++) {
            plan.takeIntended(0); // -30 to 10 ms: two of them in the measurement
        }
        LoopStats stats = new LoopStats();
        plan.finish(60 * MS, 0, 45 * MS, stats); // unsent: 20, 30 and 40 ms
        Tally taken = stats.take();
        assertThat(taken.counts().plannedMeasured()).isEqualTo(5);
        assertThat(taken.counts().unansweredAtEndNeverSent()).isEqualTo(3);
        assertThat(taken.latencies().corrected().getMaxValue()).as("the oldest, from 20 ms")
                .isBetween(39_990_000L, 40_010_000L);
    }

    @Test
    void aSlotThatNeverHadAConnectionPlansFromTheStartOfTheMeasurement() {
        SendPlan plan = uniform(0, 1, constant(100));
        LoopStats stats = new LoopStats();
        plan.finish(60 * MS, 0, 45 * MS, stats);
        Tally taken = stats.take();
        assertThat(taken.counts().plannedMeasured()).isEqualTo(5); // 0 to 40 ms
        assertThat(taken.counts().unansweredAtEndNeverSent()).isEqualTo(5);
    }

    @Test
    void handsOutEachUnsentRequestWithItsPlannedTime() {
        SendPlan plan = uniform(0, 1, constant(100));
        plan.start(0, 0);
        plan.takeIntended(0); // sent: 0; unsent up to 25 ms: 10 and 20
        List<long[]> unsent = new ArrayList<>();
        plan.forEachUnsent(25 * MS, (phase, intended, count) -> unsent.add(new long[] {phase, intended, count}));
        assertThat(unsent).containsExactly(new long[] {0, 10 * MS, 1}, new long[] {0, 20 * MS, 1});
    }

    @Test
    void handsOutAHugeBacklogAsRunsOfRequestsThatStillAddUp() {
        SendPlan plan = uniform(0, 1, constant(1e9)); // a request every nanosecond
        plan.start(0, 0);
        long[] total = new long[2];
        plan.forEachUnsent(999_999, (phase, intended, count) -> {
            total[0]++;
            total[1] += count;
        });
        assertThat(total[1]).as("every unsent request").isEqualTo(1_000_000);
        assertThat(total[0]).as("values recorded").isEqualTo(100_000);
    }

    @Test
    void handsOutNothingWhenEveryPlannedRequestWasSent() {
        SendPlan plan = uniform(0, 1, constant(100));
        plan.start(0, 0);
        plan.takeIntended(0);
        List<Long> unsent = new ArrayList<>();
        plan.forEachUnsent(9 * MS, (phase, intended, count) -> unsent.add(count));
        assertThat(unsent).isEmpty();
    }

    @Test
    void splitsAnUnsentBacklogAtThePhasesItSpans() {
        SendPlan plan = uniform(0, 1, new PlannedCount(RateProfile.parse("100:50ms,1000:10ms")));
        plan.start(0, 0);
        List<long[]> unsent = new ArrayList<>();
        plan.forEachUnsent(60 * MS, (phase, intended, count) -> unsent.add(new long[] {phase, count}));
        long first = unsent.stream().filter(u -> u[0] == 0).mapToLong(u -> u[1]).sum();
        long second = unsent.stream().filter(u -> u[0] == 1).mapToLong(u -> u[1]).sum();
        assertThat(first).isEqualTo(5);
        assertThat(second).isEqualTo(10);
    }
}
