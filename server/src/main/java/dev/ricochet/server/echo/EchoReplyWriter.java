package dev.ricochet.server.echo;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * Greets each connection, writes the replies {@link EchoFrameDecoder} emits and flushes once
 * per read batch, and finishes a connection whose client has shut down its output.
 */
final class EchoReplyWriter extends ChannelInboundHandlerAdapter {

    private boolean unflushed;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(EchoStateMachine.GREETING), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object replies) {
        // No flush here: a batch of reads ends in channelReadComplete, and one syscall for the
        // whole batch is what keeps small frames cheap.
        ctx.write(replies, ctx.voidPromise());
        unflushed = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The client will send nothing more: the decoder has answered all it sent, so
            // deliver what is still owed, then close.
            unflushed = false;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(event);
    }
}
