package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunStatsTest {

    private final EventExecutor loop = new DefaultEventExecutor();
    private final RunStats stats = new RunStats();

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void eachSecondTakenIntoTheSameSumHoldsThatSecondOnly() {
        reply(2_000_000);
        reply(4_000_000);
        Tally second = new Tally();
        stats.takeInterval(second, 0, 1_000);
        assertThat(second.counts().answeredMeasured()).isEqualTo(2);
        Histogram first = second.latencies().corrected();
        assertThat(first.getTotalCount()).isEqualTo(2);
        assertThat(first.getStartTimeStamp()).isZero();

        reply(7_000_000);
        stats.takeInterval(second, 1_000, 2_000);
        assertThat(second.counts().answeredMeasured()).isEqualTo(1);
        Histogram next = second.latencies().corrected();
        assertThat(next.getTotalCount()).as("the first second's two are gone").isEqualTo(1);
        assertThat(next.getMaxValue()).isBetween(6_990_000L, 7_010_000L);
        assertThat(next.getStartTimeStamp()).isEqualTo(1_000);
        assertThat(next).as("no new histogram a second").isSameAs(first);
    }

    /** A verified reply, recorded on the loop as a connection would: measured, {@code nanos} after its planned send. */
    private void reply(long nanos) {
        loop.submit(() -> stats.of(loop).replied(true, 0, 0, nanos, 10, 8)).syncUninterruptibly();
    }
}
