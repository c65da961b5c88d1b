package dev.ricochet.server.echo;

import dev.ricochet.server.connection.ConnectionErrors;
import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.transport.ByteBufCopy;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The echo protocol's handler, last in its pipeline: greets the connection, runs its
 * {@link EchoStateMachine} over every read, writes the replies that read earned and flushes
 * once per read batch, finishes a connection whose client has shut down its output, and
 * closes one whose I/O failed.
 *
 * <p>Replies are written here rather than passed to a handler of their own: at 10,000
 * connections each handler costs every connection a context and every read a hop.
 *
 * <p>The machine keeps the frame state between reads, so a frame may be split anywhere; every
 * byte of a read is consumed at once, so nothing accumulates here however long a frame is.
 *
 * <p>During a drain the connection ends at its next frame boundary: at once when it is
 * between frames, otherwise right after the {@code $} that closes the frame under way, whose
 * answers are all sent. What follows that {@code $} is discarded: the client gets whole
 * frames' answers, never half of one.
 */
final class EchoHandler extends ChannelInboundHandlerAdapter {

    /**
     * Bytes are copied to a plain array ({@link ByteBufCopy}: no garbage per read), answered
     * there in place, and copied out in bulk: a few buffer operations per chunk instead of
     * one per byte. One array per event-loop thread, not per connection, so 10,000
     * connections do not cost 10,000 arrays.
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[64 * 1024];
        }
    };

    private final EchoStateMachine machine = new EchoStateMachine();
    private final Counter frames;
    private boolean unflushed;
    private boolean draining;
    private boolean atBoundary;

    /** @param frames counts the frames clients open; one update per read at most */
    EchoHandler(Counter frames) {
        this.frames = frames;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(EchoStateMachine.GREETING), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    /**
     * Answers every byte of the read at once, so there is nothing to accumulate between reads
     * (hence no ByteToMessageDecoder): the machine alone remembers where the frame is.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (draining) {
                answerToFrameEnd(ctx, in);
            } else {
                answer(ctx, in);
            }
        } finally {
            in.release();
        }
    }

    private void answer(ChannelHandlerContext ctx, ByteBuf in) {
        byte[] scratch = SCRATCH.get();
        long framesBefore = machine.framesOpened();
        ByteBuf replies = null;
        while (in.isReadable()) {
            int n = Math.min(in.readableBytes(), scratch.length);
            ByteBufCopy.readInto(in, scratch, n);
            int answered = machine.accept(scratch, 0, n, scratch, 0);
            if (answered > 0) {
                if (replies == null) {
                    // Allocated on the first answer only, and sized to the answers, not to
                    // the read: a client sending one frame byte per large read must not make
                    // each queued reply hold a large buffer (the water mark counts bytes
                    // written, not capacity). A fresh buffer rather than the read buffer
                    // answered in place: measured, the slice that takes costs more than the
                    // copy it saves (docs/benchmark-history.md, "What moved the figures").
                    replies = ctx.alloc().buffer(answered);
                }
                replies.writeBytes(scratch, 0, answered);
            }
        }
        long opened = machine.framesOpened() - framesBefore;
        if (opened > 0) {
            frames.increment(opened);
        }
        if (replies != null) {
            write(ctx, replies);
        }
    }

    /** The rare path of a drain: byte by byte, to stop exactly at the frame's end. */
    private void answerToFrameEnd(ChannelHandlerContext ctx, ByteBuf in) {
        ByteBuf replies = null;
        while (!atBoundary && in.isReadable()) {
            int reply = machine.accept(in.readUnsignedByte());
            if (reply != EchoStateMachine.NO_REPLY) {
                if (replies == null) {
                    replies = ctx.alloc().buffer(in.readableBytes() + 1);
                }
                replies.writeByte(reply);
            }
            atBoundary = !machine.inFrame();
        }
        in.skipBytes(in.readableBytes());
        if (replies != null) {
            write(ctx, replies);
        }
    }

    /** No flush here: a batch of reads ends in channelReadComplete, one syscall for it all. */
    private void write(ChannelHandlerContext ctx, ByteBuf replies) {
        ctx.write(replies, ctx.voidPromise());
        unflushed = true;
    }

    /**
     * The batch of reads is over: one flush for all it earned. Never asks for a read: the
     * read gate alone decides when to read, and back-pressure pauses it.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
        if (atBoundary) {
            Drain.finish(ctx);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == Drain.STARTED && !draining) {
            draining = true;
            atBoundary = !machine.inFrame();
            if (atBoundary) {
                Drain.finish(ctx);
            }
        }
        ctx.fireUserEventTriggered(event);
        if (event instanceof ChannelInputShutdownEvent) {
            // The client will send nothing more and every byte it sent is answered: deliver
            // what is still owed, then close.
            unflushed = false;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionErrors.close(ctx, cause);
    }
}
