package dev.ricochet.server.tls;

import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.metrics.CloseReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;

/**
 * Closes at once, on a drain, a connection whose TLS handshake has not finished: its protocol
 * has not begun, so it owes nothing. Without it the protocol's orderly finish would wait for the
 * handshake (SslHandler holds writes until then) and hold the shutdown for its whole grace. It
 * sits right after the {@code SslHandler}.
 */
@Sharable
final class UnfinishedHandshakeDrain extends ChannelInboundHandlerAdapter {

    static final UnfinishedHandshakeDrain INSTANCE = new UnfinishedHandshakeDrain();

    private UnfinishedHandshakeDrain() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == Drain.STARTED && !ctx.pipeline().get(SslHandler.class).handshakeFuture().isDone()) {
            CloseReason.DRAINED.markOn(ctx.channel());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
