package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import dev.ricochet.server.transport.KernelSendClock;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that neither sent nor received anything for {@code --idle-timeout}, and
 * owes nothing: a connection whose reply is still computed ({@link RepliesOwed}) is waiting
 * for the server, not idle.
 *
 * <p>Output still leaving counts as traffic: a slow reader that keeps taking replies is not
 * idle, whether they wait here (the outbound buffer moved since the last look) or in the
 * kernel ({@link KernelSendClock}: epoll and io_uring ask {@code TCP_INFO}; on NIO only what
 * waits here is seen). A reader that has stopped, its window closed, is idle, and so is a peer
 * that vanished while the kernel retransmits to it.
 * Netty's own {@code observeOutput} does not do this: it lets the first idle event after any
 * activity through regardless of progress, and it cannot see the kernel.
 */
final class IdleConnectionCloser extends IdleStateHandler {

    private long lastPendingBytes = -1;
    private long lastProgress = -1;
    private Object lastMessage;

    private final long idleTimeoutNanos;

    IdleConnectionCloser(long idleTimeoutNanos) {
        super(0, 0, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        // Half the timeout: the last write of a connection that has since gone quiet was sent
        // about one timeout ago, which the kernel's millisecond clock could read as just under.
        if (owesReplies(ctx) || outputMovedSinceLastLook(ctx)
                || KernelSendClock.stillSending(ctx.channel(), idleTimeoutNanos / 2)) {
            return; // the next idle period looks again
        }
        CloseReason.IDLE.markOn(ctx.channel());
        ctx.close();
    }

    private static boolean owesReplies(ChannelHandlerContext ctx) {
        return ctx.pipeline().last() instanceof RepliesOwed protocol && protocol.owesReplies();
    }

    private boolean outputMovedSinceLastLook(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out == null || out.totalPendingWriteBytes() == 0) {
            return false; // nothing waiting to leave: idle means idle
        }
        Object message = out.current();
        long pending = out.totalPendingWriteBytes();
        long progress = out.currentProgress();
        boolean moved = message != lastMessage || pending != lastPendingBytes || progress != lastProgress;
        lastMessage = message;
        lastPendingBytes = pending;
        lastProgress = progress;
        return moved;
    }
}
