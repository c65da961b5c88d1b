package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The send clock on a loop whose time the test moves (Netty's embedded loop), a tick at a time. */
class SendClockTest {

    private static final long SECOND = 1_000_000_000L;

    /** A connection of an open-loop plan: due every {@code interval}, sleeping in between. */
    private static final class Sleeper implements SendClock.Sleeper {
        private final SendClock clock;
        private final long interval;
        private long due;
        private final List<Long> lateness;
        int wakes;

        Sleeper(SendClock clock, long firstDue, long interval, List<Long> lateness) {
            this.clock = clock;
            this.due = firstDue;
            this.interval = interval;
            this.lateness = lateness;
        }

        @Override
        public void woken(long now) {
            wakes++;
            if (now >= due) {
                lateness.add(now - due);
                due += interval;
            }
            clock.wakeAt(this, due);
        }
    }

    /**
     * 0.2 requests/s per connection was what c100k ran: its intervals are longer than a turn
     * of the wheel (about a second), and those who slept a turn ahead moved the timer past
     * everyone else, who were then woken up to a turn late, all at once.
     */
    @ParameterizedTest
    @CsvSource({"250000, 200000000", "250000, 1000000000", "250000, 5000000000", "250000, 30000000000",
            "1000000, 1000000000", "1000000, 5000000000", "50000, 200000000", "50000, 1500000000"})
    void wakesEverySleeperWithinATickOfItsTimeWhateverItsIntervalAndTick(long tick, long interval) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        EventExecutor loop = channel.eventLoop();
        SendClock clock = new SendClock(loop, tick, () -> loop.ticker().nanoTime());
        // Made at the connect phase, a minute before the load starts.
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        List<Long> lateness = new ArrayList<>();
        List<Sleeper> all = new ArrayList<>();
        long start = loop.ticker().nanoTime() + SECOND;
        int sleepers = 1_000;
        for (int i = 0; i < sleepers; i++) {
            Sleeper sleeper = new Sleeper(clock, start + interval * i / sleepers, interval, lateness);
            all.add(sleeper);
            clock.wakeAt(sleeper, start + interval * i / sleepers);
        }

        long end = start + 2 * interval + 2 * SECOND;
        for (long now = loop.ticker().nanoTime(); now < end; now += tick) {
            channel.advanceTimeBy(tick, TimeUnit.NANOSECONDS);
            channel.runScheduledPendingTasks();
        }

        assertThat(lateness).hasSizeGreaterThanOrEqualTo(2 * sleepers);
        assertThat(lateness.stream().mapToLong(Long::longValue).max().orElseThrow())
                .as("a wake comes at most a tick late (the clock's resolution), and one tick of the test's steps")
                .isLessThanOrEqualTo(2 * tick);
        // Woken early once a turn of the wheel while further than a turn, never more.
        long run = end - start + SECOND;
        long turn = Math.max(1024 * tick, SECOND); // a turn of the wheel lasts at least a second
        assertThat(all).allSatisfy(s -> assertThat((long) s.wakes).isLessThanOrEqualTo(run / turn + run / interval + 2));
        channel.finishAndReleaseAll();
    }
}
