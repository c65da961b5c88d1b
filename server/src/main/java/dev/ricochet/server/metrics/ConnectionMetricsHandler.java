package dev.ricochet.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First handler of a pipeline: counts the connection's life and its raw bytes. One counter
 * update per read and per write, never per byte.
 */
@Sharable
public final class ConnectionMetricsHandler extends ChannelDuplexHandler {

    private final ConnectionMetrics metrics;

    public ConnectionMetricsHandler(ConnectionMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.opened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        metrics.closed(CloseReason.of(ctx.channel()));
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            metrics.received.increment(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            metrics.sent.increment(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
