package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopStatsTest {

    @Test
    void repliesBeforeTheMeasurementCountForProgressButRecordNoLatency() {
        LoopStats stats = new LoopStats();
        stats.replied(false, 0, 0, 5_000_000, 10, 8);
        RunStats.Interval taken = stats.take();
        assertThat(taken.replies()).isEqualTo(1);
        assertThat(taken.requests()).isZero();
        assertThat(taken.corrected().getTotalCount()).isZero();
        assertThat(taken.bytesSent()).isZero();
    }

    @Test
    void eachTakeHandsOutWhatCameSinceThePreviousOne() {
        LoopStats stats = new LoopStats();
        stats.replied(true, 1_000_000, 3_000_000, 5_000_000, 10, 8);
        stats.replied(true, 1_000_000, 1_000_000, 2_000_000, 10, 8);
        RunStats.Interval first = stats.take();
        assertThat(first.requests()).isEqualTo(2);
        assertThat(first.bytesSent()).isEqualTo(20);
        assertThat(first.bytesReceived()).isEqualTo(16);
        assertThat(first.corrected().getMaxValue()).isBetween(3_990_000L, 4_010_000L); // from the planned time
        assertThat(first.uncorrected().getMaxValue()).isBetween(1_990_000L, 2_010_000L); // from the actual send
        first.corrected().reset();
        first.uncorrected().reset();

        stats.replied(true, 0, 0, 7_000_000, 1, 1);
        RunStats.Interval second = stats.take();
        assertThat(second.requests()).isEqualTo(1);
        assertThat(second.corrected().getTotalCount()).isEqualTo(1);
        assertThat(second.corrected()).isNotSameAs(first.corrected());

        RunStats.Interval third = stats.take();
        assertThat(third.corrected()).as("the pair handed out first comes back as the spare").isSameAs(first.corrected());
        assertThat(third.corrected().getTotalCount()).isZero();
        assertThat(third.replies()).isZero();
    }

    @Test
    void shedRepliesHaveTheirOwnHistogramAndNeverCountAsAnswered() {
        LoopStats stats = new LoopStats();
        stats.shed(true, 1_000_000, 3_000_000, 10, 12);
        stats.shed(false, 0, 1_000_000, 10, 12);
        RunStats.Interval taken = stats.take();
        assertThat(taken.shedAll()).isEqualTo(2);
        assertThat(taken.shed()).isEqualTo(1);
        assertThat(taken.shedLatency().getTotalCount()).isEqualTo(1);
        assertThat(taken.shedLatency().getMaxValue()).isBetween(1_990_000L, 2_010_000L);
        assertThat(taken.requests()).isZero();
        assertThat(taken.replies()).isZero();
        assertThat(taken.corrected().getTotalCount()).isZero();
    }

    @Test
    void unansweredRequestsAreCountedAndCarryTheirLatencySoFar() {
        LoopStats stats = new LoopStats();
        stats.unanswered(5_000_000, 2_000_000);
        stats.unansweredUnsent(7_000_000, 3);
        RunStats.Interval taken = stats.take();
        assertThat(taken.unanswered()).isEqualTo(4);
        assertThat(taken.unansweredUnsent()).isEqualTo(3);
        assertThat(taken.corrected().getTotalCount()).as("every one, sent or not").isEqualTo(4);
        assertThat(taken.uncorrected().getTotalCount()).as("only the one sent").isEqualTo(1);
        assertThat(taken.corrected().getMaxValue()).isBetween(6_990_000L, 7_010_000L);
    }
}
