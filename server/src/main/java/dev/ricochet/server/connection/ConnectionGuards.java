package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.ConnectionMetrics;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;

/**
 * The handlers every protocol's pipeline starts with, in their one right order: tracking for
 * the drain, then {@link ConnectionGuard} (metrics, connection limit, back-pressure) and the
 * idle timeout before the protocol's own handlers. The protocol's last handler closes the
 * connection on errors, with {@link ConnectionErrors}.
 */
public final class ConnectionGuards {

    private final Drain drain;
    private final BackPressure backPressure;
    private final ConnectionGuard guard;
    private final long idleTimeoutNanos;

    /**
     * @param drain           every accepted connection joins it, so that shutdown can drain it
     * @param metrics         this protocol's connection meters
     * @param limiter         the limit shared by every protocol
     * @param idleTimeout     close after this long without traffic; zero for never
     */
    public ConnectionGuards(Drain drain, ConnectionMetrics metrics, ConnectionLimiter limiter, Duration idleTimeout) {
        this.drain = drain;
        this.backPressure = new BackPressure(metrics);
        this.guard = new ConnectionGuard(metrics, limiter, backPressure);
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    /** Adds the handlers that go before the protocol's own. */
    public void addFront(ChannelPipeline pipeline) {
        drain.track(pipeline.channel());
        pipeline.addLast(guard);
        if (idleTimeoutNanos > 0) {
            pipeline.addLast(new IdleConnectionCloser(idleTimeoutNanos));
        }
    }

    public BackPressure backPressure() {
        return backPressure;
    }
}
