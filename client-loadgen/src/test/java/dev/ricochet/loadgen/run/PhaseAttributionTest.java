package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each request counts in the phase of its planned send time, whenever its fate came. */
class PhaseAttributionTest {

    private static final long MS = 1_000_000;
    /** Three phases: 1 s from 10 s, 1 s from 11 s, and the last from 12 s on. */
    private static final long[] STARTS = {10_000 * MS, 11_000 * MS, 12_000 * MS};

    private static LoopStats loop() {
        LoopStats stats = new LoopStats();
        stats.startPhases(STARTS);
        return stats;
    }

    private static PhaseTally[] phasesOf(LoopStats stats) {
        PhaseTally[] phases = {new PhaseTally(), new PhaseTally(), new PhaseTally()};
        stats.addPhasesTo(phases);
        return phases;
    }

    @Test
    void aReplyCountsInThePhaseItsRequestWasPlannedInNotTheOneItCameIn() {
        LoopStats stats = loop();
        // Planned at the end of the first phase, sent late, answered well into the third.
        stats.replied(true, 10_999 * MS, 11_500 * MS, 12_400 * MS, 10, 10);
        stats.replied(true, 11_000 * MS, 11_000 * MS, 11_001 * MS, 10, 10);

        PhaseTally[] phases = phasesOf(stats);
        assertThat(phases).extracting(PhaseTally::answered).containsExactly(1L, 1L, 0L);
        assertThat(phases[0].corrected().getMaxValue()).as("from its planned time").isBetween(1_400 * MS, 1_402 * MS);
        assertThat(phases[0].uncorrected().getMaxValue()).as("from its send").isBetween(899 * MS, 901 * MS);
        assertThat(phases[1].corrected().getMaxValue()).isBetween(990_000L, 1_010_000L);
    }

    @Test
    void findsThePhaseOfRequestsRecordedOutOfOrder() {
        LoopStats stats = loop();
        long[] planned = {12_500 * MS, 10_100 * MS, 11_900 * MS, 10_200 * MS, 13_000 * MS, 9_000 * MS, 11_000 * MS};
        for (long intended : planned) {
            stats.replied(true, intended, intended, intended + MS, 1, 1);
        }

        assertThat(phasesOf(stats)).extracting(PhaseTally::answered).containsExactly(2L, 2L, 2L);
    }

    @Test
    void requestsPlannedInTheWarmupCountInNoPhase() {
        LoopStats stats = loop();
        stats.replied(true, 9_999 * MS, 9_999 * MS, 10_500 * MS, 1, 1);
        stats.unanswered(20_000 * MS, 9_000 * MS, 9_500 * MS);

        assertThat(phasesOf(stats)).extracting(PhaseTally::answered).containsExactly(0L, 0L, 0L);
        assertThat(phasesOf(stats)).extracting(PhaseTally::unanswered).containsExactly(0L, 0L, 0L);
        assertThat(stats.take().counts().answeredMeasured()).as("the measurement's own count is by reply").isEqualTo(1);
    }

    @Test
    void countsEveryFateOfAPhasesRequests() {
        LoopStats stats = loop();
        stats.planned(1, 7);
        stats.replied(false, 11_100 * MS, 11_100 * MS, 11_200 * MS, 1, 1);
        stats.shed(true, 11_200 * MS, 11_300 * MS, 1, 1);
        stats.failed(11_300 * MS);
        stats.unanswered(13_000 * MS, 11_400 * MS, 11_500 * MS);
        stats.unansweredUnsent(13_000 * MS, 11_600 * MS, 3);

        PhaseTally phase = phasesOf(stats)[1];
        assertThat(phase.planned()).isEqualTo(7);
        assertThat(phase.answered() + phase.shed() + phase.failed() + phase.unanswered()).as("every one planned")
                .isEqualTo(7);
        assertThat(phase.unansweredNeverSent()).isEqualTo(3);
        assertThat(phase.corrected().getTotalCount()).as("answered, and unanswered sent or not").isEqualTo(5);
        assertThat(phase.uncorrected().getTotalCount()).as("answered, and unanswered sent").isEqualTo(2);
    }

    @Test
    void aRunWithoutAProfileKeepsNoPhases() {
        LoopStats stats = new LoopStats();
        stats.replied(true, 10_500 * MS, 10_500 * MS, 10_600 * MS, 1, 1);
        stats.planned(0, 4);

        assertThat(phasesOf(stats)).extracting(PhaseTally::answered).containsExactly(0L, 0L, 0L);
        assertThat(stats.take().counts().plannedMeasured()).isEqualTo(4);
    }
}
