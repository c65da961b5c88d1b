package dev.ricochet.server.engine.blocking;

import dev.ricochet.server.metrics.CloseReason;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code --idle-timeout} for blocking connections: a thread blocked in a read or a write
 * cannot time itself out, so one thread looks at how long each connection has waited on its
 * client and closes those silent for longer than the timeout. A write blocked that long
 * counts as silence (the client took nothing); a thread computing a reply does not (the
 * client is owed it), and the clock starts again when the thread turns back to the client, to
 * write that reply ({@link BlockingConnection#silentNanos}).
 */
final class IdleWatchdog implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ricochet-idle").daemon().factory());

    IdleWatchdog(Duration timeout, Collection<BlockingConnection> connections) {
        long timeoutNanos = timeout.toNanos();
        // Closes within a quarter of the timeout past it, checking at most every 10 ms.
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), timeoutNanos / 4));
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            for (BlockingConnection connection : connections) {
                if (connection.silentNanos(now) > timeoutNanos) {
                    connection.close(CloseReason.IDLE);
                }
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
