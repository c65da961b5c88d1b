package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
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
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf(ConnectionLimiter.class, "counted");
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final RateLimitedWarning full = new RateLimitedWarning(log, 10_000_000_000L);

    /** @param max connections allowed at once, 0 for no limit */
    public ConnectionLimiter(int max) {
        this.max = max;
    }

    /** Whether a newly active connection may stay; one that may not is marked and must be closed. */
    boolean admit(Channel channel) {
        if (max == 0) {
            return true;
        }
        if (!tryAcquire()) {
            CloseReason.LIMIT.markOn(channel);
            return false;
        }
        // Only with a limit: the attribute costs about 50 bytes per connection.
        channel.attr(COUNTED).set(Boolean.TRUE);
        return true;
    }

    /** Gives an admitted connection's place back when it closes. */
    void release(Channel channel) {
        if (max > 0 && channel.attr(COUNTED).get() != null) {
            open.decrementAndGet();
        }
    }

    /**
     * Takes a place for a newly accepted connection (engines without channels). False: the
     * limit is reached, the connection must be closed as {@link CloseReason#LIMIT}, and it
     * must not {@link #release()}.
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
