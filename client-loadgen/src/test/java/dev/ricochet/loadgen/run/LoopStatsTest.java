package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopStatsTest {

    @Test
    void repliesBeforeTheMeasurementCountForProgressButRecordNoLatency() {
        LoopStats stats = new LoopStats();
        stats.replied(false, 0, 0, 5_000_000, 10, 8);
        Tally taken = stats.take();
        assertThat(taken.counts().answeredWholeRun()).isEqualTo(1);
        assertThat(taken.counts().answeredMeasured()).isZero();
        assertThat(taken.latencies().corrected().getTotalCount()).isZero();
        assertThat(taken.counts().bytesSentMeasured()).isZero();
    }

    @Test
    void theSendLagIsHowLateARequestLeftAfterItsPlannedSendWhileMeasuring() {
        LoopStats stats = new LoopStats();
        stats.sendLag(false, 1_000_000, 9_000_000);
        stats.sendLag(true, 1_000_000, 1_300_000);
        stats.sendLag(true, 2_000_000, 2_000_000);
        Tally taken = stats.take();
        assertThat(taken.latencies().sendLag().getTotalCount()).as("the warmup's is not recorded").isEqualTo(2);
        assertThat(taken.latencies().sendLag().getMaxValue()).isBetween(299_000L, 301_000L);
        assertThat(taken.latencies().sendLag().getMinValue()).isZero();
    }

    @Test
    void eachTakeHandsOutWhatCameSinceThePreviousOne() {
        LoopStats stats = new LoopStats();
        stats.replied(true, 1_000_000, 3_000_000, 5_000_000, 10, 8);
        stats.replied(true, 1_000_000, 1_000_000, 2_000_000, 10, 8);
        Tally first = stats.take();
        assertThat(first.counts().answeredMeasured()).isEqualTo(2);
        assertThat(first.counts().bytesSentMeasured()).isEqualTo(20);
        assertThat(first.counts().bytesReceivedMeasured()).isEqualTo(16);
        // from the planned time
        assertThat(first.latencies().corrected().getMaxValue()).isBetween(3_990_000L, 4_010_000L);
        // from the actual send
        assertThat(first.latencies().uncorrected().getMaxValue()).isBetween(1_990_000L, 2_010_000L);
        first.reset(); // as the taker does before its next take

        stats.replied(true, 0, 0, 7_000_000, 1, 1);
        Tally second = stats.take();
        assertThat(second.counts().answeredMeasured()).isEqualTo(1);
        assertThat(second.latencies().corrected().getTotalCount()).isEqualTo(1);
        assertThat(second.latencies().corrected()).isNotSameAs(first.latencies().corrected());

        Tally third = stats.take();
        assertThat(third.latencies().corrected()).as("the pair handed out first comes back as the spare")
                .isSameAs(first.latencies().corrected());
        assertThat(third.latencies().corrected().getTotalCount()).isZero();
        assertThat(third.counts().answeredWholeRun()).isZero();
    }

    @Test
    void shedRepliesHaveTheirOwnHistogramAndNeverCountAsAnswered() {
        LoopStats stats = new LoopStats();
        stats.shed(true, 1_000_000, 3_000_000, 10, 12);
        stats.shed(false, 0, 1_000_000, 10, 12);
        Tally taken = stats.take();
        assertThat(taken.counts().shedWholeRun()).isEqualTo(2);
        assertThat(taken.counts().shedMeasured()).isEqualTo(1);
        assertThat(taken.latencies().shed().getTotalCount()).isEqualTo(1);
        assertThat(taken.latencies().shed().getMaxValue()).isBetween(1_990_000L, 2_010_000L);
        assertThat(taken.counts().answeredMeasured()).isZero();
        assertThat(taken.counts().answeredWholeRun()).isZero();
        assertThat(taken.latencies().corrected().getTotalCount()).isZero();
    }

    @Test
    void unansweredRequestsAreCountedAndCarryTheirLatencySoFar() {
        LoopStats stats = new LoopStats();
        stats.unanswered(10_000_000, 5_000_000, 8_000_000);
        stats.unansweredUnsent(10_000_000, 3_000_000, 3);
        Tally taken = stats.take();
        assertThat(taken.counts().unansweredAtEnd()).isEqualTo(4);
        assertThat(taken.counts().unansweredAtEndNeverSent()).isEqualTo(3);
        assertThat(taken.latencies().corrected().getTotalCount()).as("every one, sent or not").isEqualTo(4);
        assertThat(taken.latencies().uncorrected().getTotalCount()).as("only the one sent").isEqualTo(1);
        assertThat(taken.latencies().corrected().getMaxValue()).isBetween(6_990_000L, 7_010_000L);
    }
}
