package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The slots' plans over a rate profile: uniform turns and Poisson gaps, and what each phase planned. */
class ProfilePlanTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long ORIGIN = 77 * SECOND;

    /** A request of some slot, planned at {@code nanos}. */
    private record Planned(int slot, long nanos) {
    }

    /** Every request each slot's plan makes from a second before the measurement to its end, each taken on time. */
    private static List<Planned> everyRequest(int connections, PlannedCount schedule, LoadSpec.Arrivals arrivals) {
        List<Planned> all = new ArrayList<>();
        for (int slot = 0; slot < connections; slot++) {
            SendPlan plan = new SendPlan(slot, connections, schedule, arrivals);
            plan.start(ORIGIN - SECOND, ORIGIN);
            while (plan.nextIntendedNanos() != Long.MAX_VALUE) {
                all.add(new Planned(slot, plan.takeIntended(0)));
            }
        }
        all.sort(Comparator.comparingLong(Planned::nanos));
        return all;
    }

    private static long inPhase(List<Planned> requests, PlannedCount schedule, int phase) {
        long from = ORIGIN + schedule.phaseStartNanos(phase);
        long to = ORIGIN + schedule.phaseStartNanos(phase + 1);
        return requests.stream().filter(r -> r.nanos() >= from && r.nanos() < to).count();
    }

    @Test
    void theSlotsTakeTurnsInOrderThroughStepsRampsAndSilences() {
        PlannedCount schedule = new PlannedCount(RateProfile.parse("50:2s,50..400:3s,0:1s,1000:1s,20:2s"));
        List<Planned> all = everyRequest(7, schedule, LoadSpec.Arrivals.UNIFORM);

        // Round robin: no slot is left on an old, long interval after a step up.
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).slot()).as("request %d", i).isEqualTo((all.get(i - 1).slot() + 1) % 7);
        }
        assertThat(inPhase(all, schedule, 2)).as("the silence").isZero();
    }

    @Test
    void eachPhasePlansTheProfilesIntegralOverIt() {
        PlannedCount schedule = new PlannedCount(RateProfile.parse("1000:1s,1000..4000:2s,0:500ms,9000:250ms,333:3s"));
        List<Planned> all = everyRequest(13, schedule, LoadSpec.Arrivals.UNIFORM);

        assertThat(List.of(inPhase(all, schedule, 0), inPhase(all, schedule, 1), inPhase(all, schedule, 2),
                inPhase(all, schedule, 3), inPhase(all, schedule, 4))).containsExactly(1_000L, 5_000L, 0L, 2_250L, 999L);
    }

    @Test
    void finishCountsEachPhasesPlannedRequestsWhetherTakenOrLeftUnsent() {
        PlannedCount schedule = new PlannedCount(RateProfile.parse("1000:1s,1000..4000:2s,0:500ms,9000:250ms,333:3s"));
        long end = ORIGIN + schedule.phaseStartNanos(5);
        long[] starts = IntStream.range(0, 5).mapToLong(p -> ORIGIN + schedule.phaseStartNanos(p)).toArray();
        LoopStats stats = new LoopStats();
        stats.startPhases(starts);
        for (int slot = 0; slot < 13; slot++) {
            SendPlan plan = new SendPlan(slot, 13, schedule, LoadSpec.Arrivals.UNIFORM);
            plan.start(ORIGIN - SECOND, ORIGIN);
            // The odd slots sent until 2 s in, and had no connection after: the rest is unsent.
            long sentUntil = slot % 2 == 0 ? end : ORIGIN + 2 * SECOND;
            while (plan.due(sentUntil)) {
                plan.takeIntended(0);
            }
            plan.finish(end + SECOND, ORIGIN, end, stats);
        }
        PhaseTally[] phases = phases(5);
        stats.addPhasesTo(phases);

        assertThat(phases).extracting(PhaseTally::planned).containsExactly(1_000L, 5_000L, 0L, 2_250L, 999L);
        assertThat(stats.take().counts().plannedMeasured()).isEqualTo(9_249);
        // Counts 8,250 to 9,248: 77 each of the residues 8 to 12 and 0 to 5 mod 13, 76 of 6 and 7.
        assertThat(phases[4].unansweredNeverSent()).as("the odd slots' share").isEqualTo(5 * 77 + 76);
    }

    @Test
    void poissonGapsAreExponentialWithTheSlotsMeanInterval() {
        // Slot 3 of 10 at 1,000/s: on average every 10 ms.
        SendPlan plan = new SendPlan(3, 10, new PlannedCount(RateProfile.parse("1000:1h")),
                LoadSpec.Arrivals.poisson(42));
        plan.start(0, 0);
        int n = 40_000;
        double[] gaps = new double[n];
        long previous = plan.takeIntended(0);
        for (int i = 0; i < n; i++) {
            long next = plan.takeIntended(0);
            gaps[i] = (next - previous) / 1e6;
            previous = next;
        }
        double mean = Arrays.stream(gaps).average().orElseThrow();
        assertThat(mean).isCloseTo(10, within(0.2));
        // The exponential's tail: P(gap > x) = e^(-x / mean), at a few multiples of the mean.
        for (double multiple : new double[] {0.1, 0.5, 1, 2, 4}) {
            double beyond = Arrays.stream(gaps).filter(g -> g > multiple * 10).count() / (double) n;
            assertThat(beyond).as("beyond %s × the mean", multiple).isCloseTo(Math.exp(-multiple), within(0.01));
        }
        double cv = Math.sqrt(Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).sum() / n) / mean;
        assertThat(cv).as("an exponential's deviation is its mean").isCloseTo(1, within(0.03));
    }

    @Test
    void poissonTimesAreTheSameForTheSameSeedAndSlotAndDifferOtherwise() {
        PlannedCount schedule = new PlannedCount(RateProfile.parse("100..2000:10s"));
        assertThat(times(schedule, 5, 7)).isEqualTo(times(schedule, 5, 7));
        assertThat(times(schedule, 5, 7)).isNotEqualTo(times(schedule, 6, 7));
        assertThat(times(schedule, 5, 7)).isNotEqualTo(times(schedule, 5, 8));
    }

    private static List<Long> times(PlannedCount schedule, int slot, long seed) {
        SendPlan plan = new SendPlan(slot, 20, schedule, LoadSpec.Arrivals.poisson(seed));
        plan.start(0, 0);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            times.add(plan.takeIntended(0));
        }
        return times;
    }

    @Test
    void poissonArrivalsFollowTheProfileOnAverage() {
        PlannedCount schedule = new PlannedCount(RateProfile.parse("2000:2s,2000..8000:2s,0:1s,500:4s"));
        List<Planned> all = everyRequest(50, schedule, LoadSpec.Arrivals.poisson(1));

        // Counts of a Poisson process: within four standard deviations (the square root of the mean).
        assertThat(inPhase(all, schedule, 0)).isCloseTo(4_000L, within(253L));
        assertThat(inPhase(all, schedule, 1)).isCloseTo(10_000L, within(400L));
        assertThat(inPhase(all, schedule, 2)).as("the silence").isZero();
        assertThat(inPhase(all, schedule, 3)).isCloseTo(2_000L, within(179L));
        // The ramp's first second, from 2,000/s to 5,000/s: 3,500 of its 10,000.
        long firstHalf = all.stream().filter(r -> r.nanos() >= ORIGIN + 2 * SECOND && r.nanos() < ORIGIN + 3 * SECOND)
                .count();
        assertThat(firstHalf).isCloseTo(3_500L, within(237L));
    }

    private static PhaseTally[] phases(int count) {
        PhaseTally[] phases = new PhaseTally[count];
        for (int p = 0; p < count; p++) {
            phases[p] = new PhaseTally();
        }
        return phases;
    }
}
