package dev.ricochet.server.connection;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A WARN that is logged at most once per interval however often its cause repeats, with the
 * number of occurrences since the last line: overload must not turn into a log flood.
 */
public final class RateLimitedWarning {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong lastLogged;
    private final AtomicLong occurrences = new AtomicLong();

    public RateLimitedWarning(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.lastLogged = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /**
     * Counts one occurrence and logs {@code message} when the interval has passed; the
     * message's last placeholder receives the count of occurrences since the last line.
     */
    public void warn(String message, Object... arguments) {
        occurrences.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= intervalNanos && lastLogged.compareAndSet(last, now)) {
            Object[] withCount = java.util.Arrays.copyOf(arguments, arguments.length + 1);
            withCount[arguments.length] = occurrences.getAndSet(0);
            log.warn(message, withCount);
        }
    }
}
