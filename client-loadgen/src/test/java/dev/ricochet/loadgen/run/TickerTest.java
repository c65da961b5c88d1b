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
        ticker.tick(6 * SECOND + 300_000_000L, Stage.WARMUP);
        assertThat(ticker.nextTickNanos()).as("late ticks do not shift the next").isEqualTo(7 * SECOND);
    }

    @Test
    void eachIntervalHoldsItsSecondAndTheTotalsHoldEverySecond() {
        Ticker ticker = new Ticker(stats, 10, 0, 0);
        reply(true);
        reply(false);
        LoadRun.Interval first = ticker.tick(SECOND, Stage.MEASURE);
        assertThat(first.counts().answeredWholeRun()).isEqualTo(2);
        assertThat(first.requestsPerSecond()).isEqualTo(2);
        assertThat(first.target()).isEqualTo(10);
        assertThat(first.measuring()).isTrue();

        reply(true);
        LoadRun.Interval second = ticker.tick(3 * SECOND, Stage.MEASURE);
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

    @Test
    void ticksHalfASecondOffTheSecondsOfTheMeasurementsStartOnceTold() {
        Ticker ticker = new Ticker(stats, 10, 0, 0);
        ticker.tick(SECOND, Stage.CONNECT);
        ticker.phaseTo(2 * SECOND + 300_000_000L, SECOND + 100_000_000L);
        assertThat(ticker.nextTickNanos()).as("the first x.8 s at least half a second after the last tick")
                .isEqualTo(SECOND + 800_000_000L);
        ticker.tick(SECOND + 800_000_000L, Stage.WARMUP);
        assertThat(ticker.nextTickNanos()).isEqualTo(2 * SECOND + 800_000_000L);
    }

    @Test
    void neverCutsTheIntervalUnderWayShorterThanHalfASecond() {
        Ticker ticker = new Ticker(stats, 10, 0, 0);
        ticker.tick(SECOND, Stage.CONNECT);
        ticker.phaseTo(SECOND, SECOND + 10_000_000L);
        assertThat(ticker.nextTickNanos()).isEqualTo(SECOND + SECOND / 2);
        ticker.phaseTo(SECOND + 600_000_000L, SECOND + 10_000_000L);
        assertThat(ticker.nextTickNanos()).as("x.1 s: the next one past half a second").isEqualTo(2 * SECOND + 100_000_000L);
    }

    @Test
    void anIntervalHoldingAMeasuredReplyIsMeasuredWhateverTheRunSaidOfIt() {
        Ticker ticker = new Ticker(stats, 10, 0, 0);
        reply(false);
        assertThat(ticker.tick(SECOND, Stage.WARMUP).stage()).isEqualTo(Stage.WARMUP);
        reply(true);
        assertThat(ticker.tick(2 * SECOND, Stage.WARMUP).stage())
                .as("the loops measured from the start by their own clocks, before this thread saw it")
                .isEqualTo(Stage.MEASURE);
    }

    @Test
    void eachIntervalCarriesTheErrorsByKindAndTheReconnectsSoFarAndItsEnd() {
        Ticker ticker = new Ticker(stats, 10, 0, 0);
        stats.connectFailed(ErrorKind.REFUSED);
        stats.established(true);
        LoadRun.Interval first = ticker.tick(SECOND, Stage.CONNECT);
        stats.connectFailed(ErrorKind.REFUSED);
        stats.connectFailed(ErrorKind.TIMEOUT);
        LoadRun.Interval second = ticker.tick(2 * SECOND, Stage.CONNECT);

        assertThat(first.errorsByKindSoFar()).containsEntry(ErrorKind.REFUSED, 1L).containsEntry(ErrorKind.TIMEOUT, 0L)
                .hasSize(ErrorKind.values().length);
        assertThat(first.reconnectsSoFar()).isEqualTo(1);
        assertThat(second.errorsByKindSoFar()).containsEntry(ErrorKind.REFUSED, 2L).containsEntry(ErrorKind.TIMEOUT, 1L);
        assertThat(second.errorsSoFar()).isEqualTo(3);
        assertThat(second.endMillis()).isPositive().isGreaterThanOrEqualTo(first.endMillis());
    }

    private void reply(boolean measuring) {
        loop.submit(() -> stats.of(loop).replied(measuring, 0, 0, 2_000_000, 10, 8)).syncUninterruptibly();
    }
}
