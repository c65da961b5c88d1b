package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.ConnectionMetrics;
import dev.ricochet.server.metrics.ConnectionMetricsHandler;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;

/**
 * The handlers every protocol's pipeline starts and ends with, in their one right order:
 * metrics, tracking for the drain, idle timeout, connection limit and back-pressure before
 * the protocol's own handlers; error handling after them.
 */
public final class ConnectionGuards {

    private final Drain drain;
    private final ConnectionMetricsHandler metrics;
    private final ConnectionLimiter limiter;
    private final BackPressureHandler backPressure;
    private final long idleTimeoutNanos;
    private final ConnectionErrorHandler errors = new ConnectionErrorHandler();

    /**
     * @param drain           every accepted connection joins it, so that shutdown can drain it
     * @param metrics         this protocol's connection meters
     * @param limiter         the limit shared by every protocol
     * @param idleTimeout     close after this long without traffic; zero for never
     */
    public ConnectionGuards(Drain drain, ConnectionMetrics metrics, ConnectionLimiter limiter, Duration idleTimeout) {
        this.drain = drain;
        this.metrics = new ConnectionMetricsHandler(metrics);
        this.limiter = limiter;
        this.backPressure = new BackPressureHandler(metrics);
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    /** Adds the handlers that go before the protocol's own. */
    public void addFront(ChannelPipeline pipeline) {
        drain.track(pipeline.channel());
        pipeline.addLast(metrics);
        if (idleTimeoutNanos > 0) {
            pipeline.addLast(new IdleConnectionCloser(idleTimeoutNanos));
        }
        pipeline.addLast(limiter, backPressure);
    }

    /** Adds the handlers that go after the protocol's own. */
    public void addBack(ChannelPipeline pipeline) {
        pipeline.addLast(errors);
    }

    public BackPressureHandler backPressure() {
        return backPressure;
    }
}
