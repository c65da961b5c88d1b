package dev.ricochet.server.logging;

import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.async.AsyncQueueFullPolicy;
import org.apache.logging.log4j.core.async.EventRoute;

/**
 * What Log4j's async appender does with an event when its queue is full: drop it and count
 * it. Log4j's default waits for room, so a burst of lines (DEBUG on a busy server, a storm of
 * failing connections) would stall the event loops behind the console. Losing log lines under
 * such a burst is the lesser harm; the count says how many were lost
 * ({@code ricochet_log_events_discarded_total}).
 *
 * <p>Chosen by {@code log4j2.AsyncQueueFullPolicy} in {@code log4j2.component.properties};
 * Log4j creates it with the no-argument constructor.
 */
public final class DiscardWhenQueueFull implements AsyncQueueFullPolicy {

    private static final LongAdder DISCARDED = new LongAdder();

    @Override
    public EventRoute getRoute(long backgroundThreadId, Level level) {
        DISCARDED.increment();
        return EventRoute.DISCARD;
    }

    /** Events dropped since the process started, every level together. */
    public static long discarded() {
        return DISCARDED.sum();
    }
}
