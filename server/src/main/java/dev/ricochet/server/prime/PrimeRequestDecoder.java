package dev.ricochet.server.prime;

import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.transport.ByteBufCopy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty's side of the prime protocol's framing: the rules are {@link PrimeLineFramer}'s, this
 * adds what only the event loop knows. Reads are handed to the framer a chunk at a time (the
 * framer keeps the partial line), and only while the handler {@linkplain
 * PrimeRequestHandler#wantsMore() wants more}: the rest of a read waits in Netty's cumulation
 * buffer, unframed, until the handler {@linkplain #resume() resumes} it. So a client pipelining
 * thousands of requests in one read holds bytes here, not thousands of requests in the
 * handler. The linger is a timer on the channel's event loop; a drain ({@link Drain#STARTED})
 * makes the framer discard everything from then on; a half-close frames everything left and
 * answers the unterminated last line.
 */
final class PrimeRequestDecoder extends ByteToMessageDecoder {

    /**
     * Direct read buffers are copied in bulk to a plain array for the framer: one buffer
     * operation per chunk instead of one per byte. One array per event-loop thread, not per
     * connection; a chunk holds hundreds of requests, so a larger one would buy nothing.
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[8 * 1024];
        }
    };

    /**
     * Bytes framed between two looks at the handler: a chunk of requests needing workers (8
     * bytes each at least) is what may wait in the handler beyond its bounds, 64 requests.
     */
    static final int CHUNK_BYTES = 512;

    private final long lingerNanos;
    private final PrimeLineFramer framer;
    private final PrimeRequestHandler handler;
    private final Runnable lingerExpired = this::lingerExpired;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> lingerTimer;

    /**
     * @param linger how long a bare number waits for more bytes before it counts as a
     *               request; zero turns bare numbers off (only whole lines count)
     * @param handler the handler behind, asked between chunks whether it wants more
     */
    PrimeRequestDecoder(Duration linger, PrimeRequestHandler handler) {
        this.lingerNanos = linger.toNanos();
        this.framer = new PrimeLineFramer(lingerNanos > 0);
        this.handler = handler;
        if (handler != null) {
            handler.decodedBy(this);
        }
    }

    /** Alone, with no handler's bounds to respect: for tests of the framing. */
    PrimeRequestDecoder(Duration linger) {
        this(linger, null);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    /**
     * One chunk per call: ByteToMessageDecoder passes its requests on to the handler before it
     * calls again, so the handler's bounds are looked at between chunks. Nothing decoded when
     * the handler wants no more: the rest waits in the cumulation buffer for {@link #resume}.
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!framer.discarding() && handler != null && !handler.wantsMore()) {
            return;
        }
        cancelLinger();
        feed(in, CHUNK_BYTES, out);
        if (framer.holdsBareNumber() && !in.isReadable()) {
            scheduleLinger();
        }
    }

    /** At a half-close everything left is framed, whatever the handler's bounds: the client has no more. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        cancelLinger();
        feed(in, Integer.MAX_VALUE, out);
        PrimeRequest last = framer.endOfStream();
        if (last != null) {
            out.add(last);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == Drain.STARTED) {
            cancelLinger();
            framer.discardFromNowOn();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelLinger();
    }

    /**
     * Hands up to {@code limit} readable bytes of {@code in} to the framer, which keeps what it
     * needs; all of them once it discards.
     */
    private void feed(ByteBuf in, int limit, List<Object> out) {
        if (framer.discarding()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int length = Math.min(limit, in.readableBytes());
        if (in.hasArray()) {
            framer.feed(in.array(), in.arrayOffset() + in.readerIndex(), length, out);
            in.skipBytes(length);
        } else {
            byte[] scratch = SCRATCH.get();
            for (int left = length; left > 0 && !framer.discarding(); ) {
                int n = Math.min(left, scratch.length);
                ByteBufCopy.readInto(in, scratch, n);
                framer.feed(scratch, 0, n, out);
                left -= n;
            }
        }
        if (framer.discarding()) {
            in.skipBytes(in.readableBytes());
        }
    }

    /**
     * Decodes what was read and left for want of room, now that the handler has room again;
     * reading itself resumes through the read gate.
     */
    void resume() {
        if (ctx.channel().isActive() && actualReadableBytes() > 0) {
            try {
                channelRead(ctx, Unpooled.EMPTY_BUFFER);
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
            channelReadComplete(ctx);
        }
    }

    /**
     * Replaces ByteToMessageDecoder's own, which asks for one more read when a batch emitted
     * nothing while auto-read is off: a backlogged connection would then be read regardless.
     * The read gate alone decides when to read.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
    }

    /** Nothing followed a bare number for the linger time: it is a request. */
    private void lingerExpired() {
        lingerTimer = null;
        if (!ctx.channel().config().isAutoRead()) {
            // Reading is paused: the rest of the number may be waiting in the kernel, so
            // silence says nothing yet. Look again later.
            scheduleLinger();
            return;
        }
        PrimeRequest request = framer.completeBareNumber();
        if (request != null) {
            ctx.fireChannelRead(request);
            ctx.fireChannelReadComplete();
        }
    }

    private void scheduleLinger() {
        lingerTimer = ctx.executor().schedule(lingerExpired, lingerNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelLinger() {
        if (lingerTimer != null) {
            lingerTimer.cancel(false);
            lingerTimer = null;
        }
    }
}
