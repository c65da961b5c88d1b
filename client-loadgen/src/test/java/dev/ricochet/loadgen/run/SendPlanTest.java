package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendPlanTest {

    private static final long MS = 1_000_000;

    @Test
    void closedLoopAlwaysHasARequestDueChargedFromItsSend() {
        SendPlan plan = new SendPlan(0, 1, 0);
        plan.start(0);
        assertThat(plan.openLoop()).isFalse();
        assertThat(plan.due(5 * MS)).isTrue();
        assertThat(plan.takeIntended(5 * MS)).isEqualTo(5 * MS);
        assertThat(plan.due(5 * MS)).as("no schedule holds the next one back").isTrue();
    }

    @Test
    void numbersTheRequestsOfEachSlotFromItsOwnStart() {
        SendPlan plan = new SendPlan(3, 4, 0);
        assertThat(plan.nextSequence()).isEqualTo(3L << 32);
        assertThat(plan.takeSequence()).isEqualTo(3L << 32);
        assertThat(plan.takeSequence()).isEqualTo((3L << 32) + 1);
        assertThat(plan.nextSequence()).isEqualTo((3L << 32) + 2);
    }

    @Test
    void openLoopSpacesTheRequestsOneIntervalApartFromTheSlotsShareOfIt() {
        SendPlan plan = new SendPlan(1, 4, 100 * MS); // the second of four slots: a quarter interval in
        plan.start(1_000 * MS);
        assertThat(plan.due(1_024 * MS)).isFalse();
        assertThat(plan.nextIntendedNanos()).isEqualTo(1_025 * MS);
        assertThat(plan.due(1_025 * MS)).isTrue();
        assertThat(plan.takeIntended(1_030 * MS)).as("charged from its planned time").isEqualTo(1_025 * MS);
        assertThat(plan.nextIntendedNanos()).isEqualTo(1_125 * MS);
    }

    @Test
    void aLateConnectionFindsTheRequestsPlannedMeanwhileAllDue() {
        SendPlan plan = new SendPlan(0, 1, 10 * MS);
        plan.start(0);
        List<Long> intended = new ArrayList<>();
        while (plan.due(35 * MS)) {
            intended.add(plan.takeIntended(35 * MS));
        }
        assertThat(intended).containsExactly(0L, 10 * MS, 20 * MS, 30 * MS);
    }

    @Test
    void startsOnceSoThatTheSlotsNextConnectionCarriesThePlanOn() {
        SendPlan plan = new SendPlan(0, 1, 10 * MS);
        plan.start(0);
        plan.takeIntended(0);
        plan.start(500 * MS);
        assertThat(plan.nextIntendedNanos()).isEqualTo(10 * MS);
    }

    @Test
    void countsThePlannedTimesInsideTheMeasurementBoundsIncluded() {
        SendPlan plan = new SendPlan(0, 1, 10 * MS);
        plan.start(5 * MS); // 5, 15, 25, ...
        assertThat(plan.plannedBetween(15 * MS, 45 * MS)).isEqualTo(4); // 15, 25, 35, 45
        assertThat(plan.plannedBetween(0, 4 * MS)).isZero();
        assertThat(plan.plannedBetween(0, 5 * MS)).isEqualTo(1);
    }

    @Test
    void handsOutEachUnsentRequestWithItsLatencySoFar() {
        SendPlan plan = new SendPlan(0, 1, 10 * MS);
        plan.start(0);
        plan.takeIntended(0); // sent: 0; unsent up to 25 ms: 10 and 20
        List<long[]> unsent = new ArrayList<>();
        plan.forEachUnsent(30 * MS, 25 * MS, (since, count) -> unsent.add(new long[] {since, count}));
        assertThat(unsent).containsExactly(new long[] {20 * MS, 1}, new long[] {10 * MS, 1});
    }

    @Test
    void handsOutAHugeBacklogAsRunsOfRequestsThatStillAddUp() {
        SendPlan plan = new SendPlan(0, 1, 1);
        plan.start(0);
        long[] total = new long[2];
        plan.forEachUnsent(2_000_000, 999_999, (since, count) -> {
            total[0]++;
            total[1] += count;
        });
        assertThat(total[1]).as("every unsent request").isEqualTo(1_000_000);
        assertThat(total[0]).as("values recorded").isEqualTo(100_000);
    }

    @Test
    void handsOutNothingWhenEveryPlannedRequestWasSent() {
        SendPlan plan = new SendPlan(0, 1, 10 * MS);
        plan.start(0);
        plan.takeIntended(0);
        List<Long> unsent = new ArrayList<>();
        plan.forEachUnsent(9 * MS, 9 * MS, (since, count) -> unsent.add(count));
        assertThat(unsent).isEmpty();
    }
}
