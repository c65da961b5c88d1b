package dev.ricochet.server.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;

/**
 * Right after a TLS port's {@code SslHandler}: closes a connection whose client half-closes
 * before the handshake has finished, which then can never finish (the client's side of it is
 * still to come), and leaves the handler once the handshake is over.
 *
 * <p>Why it is needed: the protocol ports allow half-closure, so a client's FIN is an event,
 * not the end of the channel, and the protocol's answer to it (flush what is owed, then close)
 * is a write that {@code SslHandler} holds until the handshake is done. Without this, a TCP
 * connect-and-close, such as a cloud load balancer's health check, would hold its connection
 * until the handshake timeout and be counted as {@code timeout}, a failure, rather than
 * {@code closed} by its client at once.
 */
final class HalfClosedBeforeHandshake extends ChannelInboundHandlerAdapter {

    static final String NAME = "tls-half-closed";

    private final SslHandler ssl;

    HalfClosedBeforeHandshake(SslHandler ssl) {
        this.ssl = ssl;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Runs on the channel's event loop, as the handshake's end does: no race with the removal.
        ssl.handshakeFuture().addListener(done -> {
            if (ctx.pipeline().context(this) != null) {
                ctx.pipeline().remove(this);
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent && !ssl.handshakeFuture().isDone()) {
            // SslHandler fails the handshake as the channel goes inactive: result "closed".
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
