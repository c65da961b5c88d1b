package dev.ricochet.loadgen.run;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Wakes open-loop connections when their next request is due: one timer wheel per event
 * loop with slots a tick long ({@code --send-tick}, 250 µs by default), instead of one scheduled task per request (10,000
 * connections at 10 requests/s would be 100,000 timer tasks a second). The wheel sleeps until
 * its next non-empty slot, so a light load costs few wake-ups. A request may leave up to one
 * tick late; its latency still counts from its planned time, so the clock's own lateness is
 * charged to the results, never hidden. Confined to its event loop.
 */
final class SendClock {

    /** What the clock wakes: an open-loop connection whose next request is due. */
    interface Sleeper {
        /** Called on the clock's loop at or after the time asked for (up to a turn early when further). */
        void woken(long now);
    }

    /** A turn of the wheel lasts at least this: a sleeper due later is woken once a turn, early, and sleeps again. */
    private static final long MIN_TURN_NANOS = 1_000_000_000L;
    private static final int MIN_SLOTS = 1024;

    private final EventExecutor loop;
    private final long tickNanos;
    private final LongSupplier nanoTime;
    private final ArrayDeque<Sleeper>[] slots;
    /** The wheel's slots: a turn of at least a second. */
    private final int slotCount;
    /** One task object for every tick: a method reference made per schedule would be garbage at every tick. */
    private final Runnable tickTask = this::tick;
    private int waiting;
    private long processedTick;
    private long scheduledTick = Long.MAX_VALUE;
    private ScheduledFuture<?> timer;
    /** While a tick wakes its sleepers: those that sleep again do not move the timer; the tick sets it once, after. */
    private boolean ticking;
    private boolean stopped;

    SendClock(EventExecutor loop, long tickNanos) {
        this(loop, tickNanos, System::nanoTime);
    }

    /**
     * @param tickNanos a slot's length: each loop wakes at most once a tick, and a request leaves
     *                  up to a tick after its planned time
     * @param nanoTime  the time the loop's scheduled tasks run by: {@link System#nanoTime} but in tests
     */
    @SuppressWarnings("unchecked")
    SendClock(EventExecutor loop, long tickNanos, LongSupplier nanoTime) {
        this.loop = loop;
        this.tickNanos = tickNanos;
        this.nanoTime = nanoTime;
        slotCount = (int) Math.max(MIN_SLOTS, (MIN_TURN_NANOS + tickNanos - 1) / tickNanos);
        slots = new ArrayDeque[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = new ArrayDeque<>();
        }
        processedTick = nanoTime.getAsLong() / tickNanos;
    }

    /** Wakes {@code sleeper} at its first tick at or after {@code dueNanos} (up to a turn early when further). */
    void wakeAt(Sleeper sleeper, long dueNanos) {
        if (waiting == 0 && !ticking) {
            // Nobody sleeps: the wheel may move to now at once. Left where it stopped (at the
            // connect phase, say, a minute before the load), a far sleeper would land a turn
            // ahead of that, in the past, and the next tick would walk every slot since, waking
            // everyone once a turn of that minute, all in one go.
            processedTick = Math.max(processedTick, nanoTime.getAsLong() / tickNanos);
        }
        long tick = Math.min(processedTick + slotCount, Math.max(processedTick + 1, ceilDiv(dueNanos, tickNanos)));
        slots[(int) (tick % slotCount)].add(sleeper);
        waiting++;
        if (!ticking && tick < scheduledTick) {
            scheduleTick(tick);
        }
    }

    private void tick() {
        timer = null;
        scheduledTick = Long.MAX_VALUE;
        long now = nanoTime.getAsLong();
        long current = now / tickNanos;
        ticking = true;
        // Every slot since the last tick, should the loop have been busy.
        for (long t = processedTick + 1; t <= current && waiting > 0; t++) {
            // Advanced slot by slot, so that a driver that registers again while its slot is
            // processed lands in a later slot, never in one already passed.
            processedTick = t;
            ArrayDeque<Sleeper> slot = slots[(int) (t % slotCount)];
            for (int n = slot.size(); n > 0; n--) {
                waiting--;
                slot.poll().woken(now); // may register again, and schedule the next tick
            }
        }
        processedTick = current;
        ticking = false;
        // The earliest slot that holds anyone, whether they slept again just now or before: a
        // timer set by the first to sleep again (a turn ahead, say) would pass over the
        // others, and wake them up to a turn late, all at once.
        if (waiting > 0) {
            for (long t = current + 1; t <= current + slotCount; t++) {
                if (!slots[(int) (t % slotCount)].isEmpty()) {
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
        long delay = Math.max(0, tick * tickNanos - nanoTime.getAsLong());
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
