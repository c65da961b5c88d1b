package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TickerTest {

    private static final long SECOND = 1_000_000_000L;

    private final EventExecutor loop = new DefaultEventExecutor();
    private final RunStats stats = new RunStats();

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void isDueEverySecondFromTheStartOfTheRun() {
        Ticker ticker = new Ticker(stats, 10, 5 * SECOND, 0);
        assertThat(ticker.due(6 * SECOND - 1)).isFalse();
        assertThat(ticker.due(6 * SECOND)).isTrue();
        ticker.tick(6 * SECOND + 300_000_000L, false);
        assertThat(ticker.nextTickNanos()).as("late ticks do not shift the next").isEqualTo(7 * SECOND);
    }

    @Test
    void eachIntervalHoldsItsSecondAndTheTotalsHoldEverySecond() {
        Ticker ticker = new Ticker(stats, 10, 0, 0);
        reply(true);
        reply(false);
        LoadRun.Interval first = ticker.tick(SECOND, true);
        assertThat(first.counts().answeredWholeRun()).isEqualTo(2);
        assertThat(first.requestsPerSecond()).isEqualTo(2);
        assertThat(first.target()).isEqualTo(10);
        assertThat(first.measuring()).isTrue();

        reply(true);
        LoadRun.Interval second = ticker.tick(3 * SECOND, true);
        assertThat(second.counts().answeredWholeRun()).isEqualTo(1);
        assertThat(second.requestsPerSecond()).as("over the two seconds since the last tick").isEqualTo(0.5);
        assertThat(second.soFar().answeredWholeRun()).isEqualTo(3);
        assertThat(ticker.totals().counts().answeredMeasured()).isEqualTo(2);
        assertThat(ticker.totals().latencies().corrected().getTotalCount()).isEqualTo(2);
    }

    @Test
    void theLastIntervalIsMeasuredAndCountedInTheTotals() {
        Ticker ticker = new Ticker(stats, 10, System.nanoTime(), 0);
        reply(true);
        LoadRun.Interval last = ticker.last(1_000, 7);
        assertThat(last.measuring()).isTrue();
        assertThat(last.open()).isEqualTo(7);
        assertThat(last.latencies().corrected().getEndTimeStamp()).isEqualTo(1_000);
        assertThat(ticker.totals().counts().answeredMeasured()).isEqualTo(1);
    }

    private void reply(boolean measuring) {
        loop.submit(() -> stats.of(loop).replied(measuring, 0, 0, 2_000_000, 10, 8)).syncUninterruptibly();
    }
}
