package dev.ricochet.server.echo;

import dev.ricochet.server.connection.Drain;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;

/**
 * Runs one connection's {@link EchoStateMachine} over every read and emits, per read, one
 * {@link ByteBuf} holding the replies that read earned (nothing when it earned none).
 *
 * <p>The machine keeps the frame state between reads, so a frame may be split anywhere; every
 * byte of a read is consumed at once, so nothing accumulates here however long a frame is.
 *
 * <p>During a drain the connection ends at its next frame boundary: at once when it is
 * between frames, otherwise right after the {@code $} that closes the frame under way, whose
 * answers are all sent. What follows that {@code $} is discarded: the client gets whole
 * frames' answers, never half of one.
 */
final class EchoFrameDecoder extends ByteToMessageDecoder {

    /**
     * Bytes are copied in bulk to a plain array, answered there in place, and copied out in
     * bulk: one buffer operation per chunk instead of one per byte. One array per event-loop
     * thread, not per connection, so 10,000 connections do not cost 10,000 arrays.
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[64 * 1024];
        }
    };

    private final EchoStateMachine machine = new EchoStateMachine();
    private final Counter frames;
    private boolean draining;
    private boolean atBoundary;

    /** @param frames counts the frames clients open; one update per read at most */
    EchoFrameDecoder(Counter frames) {
        this.frames = frames;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (draining) {
            decodeToFrameEnd(ctx, in, out);
            return;
        }
        byte[] scratch = SCRATCH.get();
        long framesBefore = machine.framesOpened();
        ByteBuf replies = null;
        while (in.isReadable()) {
            int n = Math.min(in.readableBytes(), scratch.length);
            in.readBytes(scratch, 0, n);
            int answered = machine.accept(scratch, 0, n, scratch, 0);
            if (answered > 0) {
                if (replies == null) {
                    // Allocated on the first answer only, and sized to the answers, not to
                    // the read: a client sending one frame byte per large read must not make
                    // each queued reply hold a large buffer (the water mark counts bytes
                    // written, not capacity).
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
            out.add(replies);
        }
    }

    /** The rare path of a drain: byte by byte, to stop exactly at the frame's end. */
    private void decodeToFrameEnd(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
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
            out.add(replies);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == Drain.STARTED && !draining) {
            draining = true;
            atBoundary = !machine.inFrame();
            if (atBoundary) {
                Drain.finish(ctx);
            }
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx); // the reply writer flushes this batch's answers
        if (atBoundary) {
            Drain.finish(ctx);
        }
    }
}
