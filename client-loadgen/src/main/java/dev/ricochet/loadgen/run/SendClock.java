package dev.ricochet.loadgen.run;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Wakes open-loop connections when their next request is due: one timer wheel per event
 * loop, ticking every {@link #TICK_NANOS}, instead of one scheduled task per request (10,000
 * connections at 10 requests/s would be 100,000 timer tasks a second). A request may leave
 * up to one tick late; its latency still counts from its planned time, so the clock's own
 * lateness is charged to the results, never hidden. Confined to its event loop.
 */
final class SendClock {

    static final long TICK_NANOS = 250_000;
    private static final int SLOTS = 4096; // about one second per turn of the wheel

    private final ArrayDeque<ConnectionDriver>[] slots;
    private final ScheduledFuture<?> ticker;
    private long processedTick;

    @SuppressWarnings("unchecked")
    SendClock(EventExecutor loop) {
        slots = new ArrayDeque[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new ArrayDeque<>();
        }
        processedTick = System.nanoTime() / TICK_NANOS;
        ticker = loop.scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    /** Wakes {@code driver} at its first tick at or after {@code dueNanos}. */
    void wakeAt(ConnectionDriver driver, long dueNanos) {
        long tick = Math.max(processedTick + 1, ceilDiv(dueNanos, TICK_NANOS));
        slots[(int) (tick % SLOTS)].add(driver);
    }

    private void tick() {
        long now = System.nanoTime();
        long current = now / TICK_NANOS;
        // Catches up on every tick since the last one, should the loop have been busy.
        for (long t = processedTick + 1; t <= current; t++) {
            ArrayDeque<ConnectionDriver> slot = slots[(int) (t % SLOTS)];
            for (int n = slot.size(); n > 0; n--) {
                slot.poll().woken(now);
            }
        }
        processedTick = current;
    }

    void stop() {
        ticker.cancel(false);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
