package dev.ricochet.loadgen.run;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Wakes open-loop connections when their next request is due: one timer wheel per event
 * loop with {@link #TICK_NANOS} slots, instead of one scheduled task per request (10,000
 * connections at 10 requests/s would be 100,000 timer tasks a second). The wheel sleeps until
 * its next non-empty slot, so a light load costs few wake-ups. A request may leave up to one
 * tick late; its latency still counts from its planned time, so the clock's own lateness is
 * charged to the results, never hidden. Confined to its event loop.
 */
final class SendClock {

    static final long TICK_NANOS = 250_000;
    private static final int SLOTS = 4096; // about one second per turn of the wheel

    private final EventExecutor loop;
    private final ArrayDeque<ConnectionDriver>[] slots;
    /** One task object for every tick: a method reference made per schedule would be garbage at every tick. */
    private final Runnable tickTask = this::tick;
    private int waiting;
    private long processedTick;
    private long scheduledTick = Long.MAX_VALUE;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    @SuppressWarnings("unchecked")
    SendClock(EventExecutor loop) {
        this.loop = loop;
        slots = new ArrayDeque[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new ArrayDeque<>();
        }
        processedTick = System.nanoTime() / TICK_NANOS;
    }

    /** Wakes {@code driver} at its first tick at or after {@code dueNanos} (up to a turn early when further). */
    void wakeAt(ConnectionDriver driver, long dueNanos) {
        long tick = Math.min(processedTick + SLOTS, Math.max(processedTick + 1, ceilDiv(dueNanos, TICK_NANOS)));
        slots[(int) (tick % SLOTS)].add(driver);
        waiting++;
        if (tick < scheduledTick) {
            scheduleTick(tick);
        }
    }

    private void tick() {
        timer = null;
        scheduledTick = Long.MAX_VALUE;
        long now = System.nanoTime();
        long current = now / TICK_NANOS;
        // Every slot since the last tick, should the loop have been busy.
        for (long t = processedTick + 1; t <= current && waiting > 0; t++) {
            // Advanced slot by slot, so that a driver that registers again while its slot is
            // processed lands in a later slot, never in one already passed.
            processedTick = t;
            ArrayDeque<ConnectionDriver> slot = slots[(int) (t % SLOTS)];
            for (int n = slot.size(); n > 0; n--) {
                waiting--;
                slot.poll().woken(now); // may register again, and schedule the next tick
            }
        }
        processedTick = current;
        if (waiting > 0 && scheduledTick == Long.MAX_VALUE) {
            for (long t = current + 1; t <= current + SLOTS; t++) {
                if (!slots[(int) (t % SLOTS)].isEmpty()) {
                    scheduleTick(t);
                    break;
                }
            }
        }
    }

    private void scheduleTick(long tick) {
        if (stopped) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        scheduledTick = tick;
        long delay = Math.max(0, tick * TICK_NANOS - System.nanoTime());
        timer = loop.schedule(tickTask, delay, TimeUnit.NANOSECONDS);
    }

    /** Stops ticking; called when the run ends, from any thread. */
    void stop() {
        loop.execute(() -> {
            stopped = true;
            if (timer != null) {
                timer.cancel(false);
            }
        });
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
