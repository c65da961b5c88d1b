package dev.ricochet.server.echo;

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

    /** @param frames counts the frames clients open; one update per read at most */
    EchoFrameDecoder(Counter frames) {
        this.frames = frames;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
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
}
