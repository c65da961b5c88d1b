package dev.ricochet.server.tls;

import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.metrics.CloseReason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;

/**
 * Right after a TLS port's {@code SslHandler}, until the handshake is over (then it leaves the
 * pipeline): closes at once a connection whose handshake cannot or need not finish.
 * <ul>
 * <li>The client half-closes: its side of the handshake can never come. Counted {@code closed}
 * (by its client), as a TCP connect-and-close, such as a cloud load balancer's health check,
 * must be, not held until the handshake timeout and counted {@code timeout}, a failure.</li>
 * <li>A drain starts: the protocol has not begun, so nothing is owed (closed as drained), rather
 * than held for the whole shutdown grace.</li>
 * </ul>
 * Why they need it: the protocol answers both events with an orderly finish (flush what is
 * owed, then close), a write that {@code SslHandler} holds until the handshake is done.
 */
final class HandshakePending extends ChannelInboundHandlerAdapter {

    static final String NAME = "tls-handshake-pending";

    private final SslHandler ssl;

    HandshakePending(SslHandler ssl) {
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
        if (ssl.handshakeFuture().isDone()) {
            ctx.fireUserEventTriggered(event);
        } else if (event instanceof ChannelInputShutdownEvent) {
            // SslHandler fails the handshake as the channel goes inactive: result "closed".
            ctx.close();
        } else if (event == Drain.STARTED) {
            CloseReason.DRAINED.markOn(ctx.channel());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }
}
