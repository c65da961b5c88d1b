package dev.ricochet.server.admin;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Closes an admin connection whose next request is not complete within the timeout, counted
 * from when it opened or from the previous response. Without it, a client that sends half a
 * request line (slowloris) or stays idle after a response holds a file descriptor forever.
 * Goes after the aggregator: a request counts once it is whole.
 */
final class AdminRequestDeadline extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private final AdminWarnings warnings;
    private Future<?> deadline;

    AdminRequestDeadline(long timeoutNanos, AdminWarnings warnings) {
        this.timeoutNanos = timeoutNanos;
        this.warnings = warnings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            disarm(); // served now; the clock starts again with the response
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse) {
            arm(ctx);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        deadline = ctx.executor().schedule(() -> {
            warnings.timedOut.warn("Admin connection from {} closed: no complete request within {} ms"
                    + " ({} since the last warning)", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            ctx.close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
