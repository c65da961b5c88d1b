package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PlannedCountTest {

    private static final long SECOND = 1_000_000_000L;

    private static final PlannedCount SPIKE =
            new PlannedCount(RateProfile.parse("5000:30s,5000..20000:30s,60000:10s,5000:30s"));

    @Test
    void countsTheProfilesIntegralUpToEachPhaseAndNothingAfterTheEnd() {
        assertThat(SPIKE.phases()).isEqualTo(4);
        assertThat(SPIKE.countAt(0)).isZero();
        assertThat(SPIKE.countAt(30 * SECOND)).isEqualTo(150_000);
        assertThat(SPIKE.countAt(60 * SECOND)).isEqualTo(525_000); // + 30 s at 12,500/s on average
        assertThat(SPIKE.countAt(70 * SECOND)).isEqualTo(1_125_000);
        assertThat(SPIKE.countAt(100 * SECOND)).isEqualTo(1_275_000);
        assertThat(SPIKE.countAt(500 * SECOND)).as("past the end: flat").isEqualTo(1_275_000);
        assertThat(SPIKE.countAtPhaseStart(4)).isEqualTo(1_275_000);
        assertThat(SPIKE.phaseStartNanos(3)).isEqualTo(70 * SECOND);
    }

    @Test
    void growsQuadraticallyThroughARamp() {
        // 15 s into the ramp from 5,000/s by 500/s each second: 5,000 × 15 + 500 × 15² / 2
        assertThat(SPIKE.countAt(45 * SECOND)).isCloseTo(150_000 + 75_000 + 56_250, within(1e-6));
    }

    @Test
    void plansTheWarmupAtTheFirstRateBeforeTheMeasurement() {
        assertThat(SPIKE.countAt(-2 * SECOND)).isEqualTo(-10_000);
        assertThat(SPIKE.phaseOf(-1, 0)).isEqualTo(-1);
        assertThat(SPIKE.nanosOf(-10_000, -1)).isEqualTo(-2 * SECOND);
    }

    @Test
    void plansEachCountAtTheFirstNanosecondTheCurvePassesIt() {
        for (double count = -5_000; count < 1_275_000; count += 997.5) {
            int phase = SPIKE.phaseOf(count, 0);
            long nanos = SPIKE.nanosOf(count, phase);
            assertThat(SPIKE.countAt(nanos)).as("count %s", count).isLessThanOrEqualTo(count + 1e-6);
            assertThat(SPIKE.countAt(nanos + 1)).as("count %s", count).isGreaterThan(count - 1e-6);
            if (phase >= 0) {
                assertThat(nanos).as("inside its phase").isBetween(SPIKE.phaseStartNanos(phase),
                        SPIKE.phaseStartNanos(phase + 1) - 1);
            }
        }
    }

    @Test
    void aCountOnABoundaryBelongsToThePhaseThatStartsThere() {
        assertThat(SPIKE.phaseOf(150_000, 0)).isEqualTo(1);
        assertThat(SPIKE.nanosOf(150_000, 1)).isEqualTo(30 * SECOND);
        assertThat(SPIKE.phaseOf(149_999.5, 3)).as("found from a guess past it").isZero();
    }

    @Test
    void aSilencePlansNothingAndTheNextRequestWaitsForItsEnd() {
        PlannedCount silence = new PlannedCount(RateProfile.parse("10:1s,0:1s,10:1s"));
        assertThat(silence.phaseOf(9.5, 0)).isZero();
        assertThat(silence.nanosOf(9.5, 0)).isEqualTo(950_000_000L);
        assertThat(silence.phaseOf(10, 0)).as("the silence holds no count").isEqualTo(2);
        assertThat(silence.nanosOf(10, 2)).isEqualTo(2 * SECOND);
    }

    @Test
    void plansNothingPastTheEnd() {
        assertThat(SPIKE.phaseOf(1_275_000, 2)).isEqualTo(4);
        assertThat(SPIKE.nanosOf(1_275_000, 4)).isEqualTo(Long.MAX_VALUE);
        assertThat(SPIKE.phaseOf(1_274_999.9, 0)).isEqualTo(3);
    }
}
