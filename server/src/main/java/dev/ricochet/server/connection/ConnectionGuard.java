package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import dev.ricochet.server.metrics.ConnectionMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;

/**
 * The first handler of every protocol's pipeline, shared by all its connections: counts the
 * connection's life and raw bytes (one counter update per read and per write, never per
 * byte), turns away connections beyond {@code --max-connections}, and applies back-pressure.
 * One handler rather than three, because each handler costs every connection a context of
 * its own (docs/benchmark-history.md has the figures); the work is done by
 * {@link ConnectionMetrics}, {@link ConnectionLimiter} and {@link BackPressure}.
 *
 * <p>First, so that it counts every byte and every connection, refused ones included, and
 * sees writability changes, which travel from the head.
 */
@Sharable
final class ConnectionGuard extends ChannelDuplexHandler {

    /**
     * Set on the rare connection turned away, not on each one admitted: so that a limit, or
     * none, costs an admitted connection no attribute.
     */
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf(ConnectionGuard.class, "refused");

    private final ConnectionMetrics metrics;
    private final ConnectionLimiter limiter;
    private final BackPressure backPressure;

    ConnectionGuard(ConnectionMetrics metrics, ConnectionLimiter limiter, BackPressure backPressure) {
        this.metrics = metrics;
        this.limiter = limiter;
        this.backPressure = backPressure;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.opened();
        if (!limiter.tryAcquire()) {
            CloseReason.LIMIT.markOn(ctx.channel());
            ctx.channel().attr(REFUSED).set(Boolean.TRUE);
            ctx.close(); // before the protocol greets or reads it
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!ctx.channel().hasAttr(REFUSED)) {
            limiter.release();
        }
        metrics.closed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            metrics.received(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            metrics.sent(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        backPressure.writabilityChanged(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }
}
