package dev.ricochet.server.prime;

import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.transport.ByteBufCopy;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty's side of the prime protocol's framing: the rules are {@link PrimeLineFramer}'s, this
 * adds what only the event loop knows. Each read is handed to the framer whole (the framer
 * keeps the partial line, so nothing accumulates in Netty's cumulation buffer); the linger is
 * a timer on the channel's event loop; a drain ({@link Drain#STARTED}) makes the framer
 * discard everything from then on; a half-close answers the unterminated last line.
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

    private final long lingerNanos;
    private final PrimeLineFramer framer;
    private final Runnable lingerExpired = this::lingerExpired;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> lingerTimer;

    /**
     * @param linger how long a bare number waits for more bytes before it counts as a
     *               request; zero turns bare numbers off (only whole lines count)
     */
    PrimeRequestDecoder(Duration linger) {
        this.lingerNanos = linger.toNanos();
        this.framer = new PrimeLineFramer(lingerNanos > 0);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        cancelLinger();
        feed(in, out);
        if (framer.holdsBareNumber()) {
            scheduleLinger();
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        cancelLinger();
        feed(in, out);
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

    /** Hands every readable byte of {@code in} to the framer, which keeps what it needs. */
    private void feed(ByteBuf in, List<Object> out) {
        if (in.hasArray()) {
            framer.feed(in.array(), in.arrayOffset() + in.readerIndex(), in.readableBytes(), out);
        } else {
            byte[] scratch = SCRATCH.get();
            while (in.isReadable() && !framer.discarding()) {
                int n = Math.min(in.readableBytes(), scratch.length);
                ByteBufCopy.readInto(in, scratch, n);
                framer.feed(scratch, 0, n, out);
            }
        }
        in.skipBytes(in.readableBytes());
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
