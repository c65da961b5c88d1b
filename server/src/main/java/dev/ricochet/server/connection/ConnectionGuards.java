package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.ConnectionMetrics;
import dev.ricochet.server.metrics.ConnectionMetricsHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The handlers every protocol's pipeline starts and ends with, in their one right order:
 * metrics, tracking for the drain, idle timeout, connection limit and back-pressure before
 * the protocol's own handlers; error handling after them.
 */
public final class ConnectionGuards {

    private final ChannelGroup liveConnections;
    private final ConnectionMetricsHandler metrics;
    private final ConnectionLimiter limiter;
    private final BackPressureHandler backPressure;
    private final long idleTimeoutNanos;
    private final IdleConnectionCloser idleCloser = new IdleConnectionCloser();
    private final ConnectionErrorHandler errors = new ConnectionErrorHandler();

    /**
     * @param liveConnections every accepted connection joins it, so that shutdown can wait
     * @param metrics         this protocol's connection meters
     * @param limiter         the limit shared by every protocol
     * @param idleTimeout     close after this long without traffic; zero for never
     */
    public ConnectionGuards(ChannelGroup liveConnections, ConnectionMetrics metrics, ConnectionLimiter limiter,
            Duration idleTimeout) {
        this.liveConnections = liveConnections;
        this.metrics = new ConnectionMetricsHandler(metrics);
        this.limiter = limiter;
        this.backPressure = new BackPressureHandler(metrics);
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    /** Adds the handlers that go before the protocol's own. */
    public void addFront(ChannelPipeline pipeline) {
        liveConnections.add(pipeline.channel());
        pipeline.addLast(metrics);
        if (idleTimeoutNanos > 0) {
            pipeline.addLast(new IdleStateHandler(0, 0, idleTimeoutNanos, TimeUnit.NANOSECONDS), idleCloser);
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
