package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@code --max-connections} over every protocol: a connection beyond the limit is
 * closed as soon as it is accepted, before it is greeted or read. A full server warns at
 * most once every ten seconds, however many connections it turns away.
 */
public final class ConnectionLimiter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final RateLimitedWarning full = new RateLimitedWarning(log, 10_000_000_000L);

    /** @param max connections allowed at once, 0 for no limit */
    public ConnectionLimiter(int max) {
        this.max = max;
    }

    /**
     * Takes a place for a newly accepted connection. False: the limit is reached, the
     * connection must be closed as {@link CloseReason#LIMIT}, and it must not
     * {@link #release()}.
     */
    public boolean tryAcquire() {
        if (max == 0) {
            return true;
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            full.warn("Connection limit of {} reached: refused {} connection(s) since the last warning", max);
            return false;
        }
        return true;
    }

    /** Gives back a place {@link #tryAcquire()} took. */
    public void release() {
        if (max > 0) {
            open.decrementAndGet();
        }
    }
}
