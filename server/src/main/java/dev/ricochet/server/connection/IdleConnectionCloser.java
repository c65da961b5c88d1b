package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/** Closes a connection that neither sent nor received anything for {@code --idle-timeout}. */
@Sharable
final class IdleConnectionCloser extends ChannelInboundHandlerAdapter {

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            CloseReason.IDLE.markOn(ctx.channel());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
