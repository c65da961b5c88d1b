package dev.ricochet.server.prime;

import dev.ricochet.server.connection.Drain;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Frames the prime protocol into {@link PrimeRequest}s: one per line ending in {@code \n}
 * (a {@code \r} before it is allowed), and one per bare number that is followed by nothing
 * for the linger time, as the reference clients send them.
 *
 * <p>The linger is only for clients that never frame: once a connection has sent a line
 * terminator it is line-framed for good, and a pause inside a number (a segment delayed by a
 * retransmit, Nagle or the client itself) never splits it into two requests.
 *
 * <p>A line longer than {@link #MAX_LINE_BYTES} is answered with an error and ends the
 * connection: nothing after it is read. After a bare number completed by the linger, a
 * newline that arrives late is taken as its terminator, not as an empty request.
 *
 * <p>When a drain starts, no request is read any more: what the client sends from then on is
 * discarded, and it gets exactly the replies to the requests read before.
 */
final class PrimeRequestDecoder extends ByteToMessageDecoder {

    /** Longest line content accepted, terminator excluded. */
    static final int MAX_LINE_BYTES = 64;

    private final long lingerNanos;
    private final byte[] line = new byte[MAX_LINE_BYTES + 1];
    private ScheduledFuture<?> lingerTimer;
    private boolean lineFramed;
    private boolean lateNewlineBelongsToLastNumber;
    private boolean discarding;

    /**
     * @param linger how long a bare number waits for more bytes before it counts as a
     *               request; zero turns bare numbers off (only whole lines count)
     */
    PrimeRequestDecoder(Duration linger) {
        this.lingerNanos = linger.toNanos();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        cancelLinger();
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (lateNewlineBelongsToLastNumber && in.isReadable() && !skipLateNewline(in)) {
            return; // a lone '\r' so far: wait for what follows
        }
        while (in.isReadable()) {
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (eol < 0) {
                waitForRestOfLine(ctx, in, out);
                return;
            }
            lineFramed = true;
            int length = eol - in.readerIndex();
            int content = length > 0 && in.getByte(eol - 1) == '\r' ? length - 1 : length;
            if (content > MAX_LINE_BYTES) {
                fail(in, out);
                return;
            }
            in.readBytes(line, 0, content);
            in.skipBytes(length - content + 1);
            out.add(PrimeRequest.parse(line, 0, content));
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        cancelLinger();
        if (!discarding && in.isReadable()) {
            // The client closed its side after an unterminated line: it will not send the
            // rest, so answer what it did send.
            int length = in.readableBytes();
            in.readBytes(line, 0, length);
            int content = line[length - 1] == '\r' ? length - 1 : length;
            out.add(PrimeRequest.parse(line, 0, content));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == Drain.STARTED) {
            cancelLinger();
            discarding = true;
            ByteBuf pending = internalBuffer();
            pending.skipBytes(pending.readableBytes());
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelLinger();
    }

    private void waitForRestOfLine(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = in.readableBytes();
        boolean mayStillFit = length <= MAX_LINE_BYTES
                || (length == MAX_LINE_BYTES + 1 && in.getByte(in.writerIndex() - 1) == '\r');
        if (!mayStillFit) {
            fail(in, out);
            return;
        }
        if (lingerNanos > 0 && !lineFramed && length <= MAX_LINE_BYTES) {
            in.getBytes(in.readerIndex(), line, 0, length);
            if (PrimeRequest.allDigits(line, 0, length)) {
                lingerTimer = ctx.executor().schedule(() -> lingerExpired(ctx), lingerNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Nothing followed a bare number for the linger time: it is a request. */
    private void lingerExpired(ChannelHandlerContext ctx) {
        lingerTimer = null;
        if (!ctx.channel().config().isAutoRead()) {
            // Reading is paused: the rest of the number may be waiting in the kernel, so
            // silence says nothing yet. Look again later.
            lingerTimer = ctx.executor().schedule(() -> lingerExpired(ctx), lingerNanos, TimeUnit.NANOSECONDS);
            return;
        }
        ByteBuf pending = internalBuffer();
        int length = pending.readableBytes();
        if (discarding || length == 0 || length > MAX_LINE_BYTES) {
            return;
        }
        pending.getBytes(pending.readerIndex(), line, 0, length);
        if (!PrimeRequest.allDigits(line, 0, length)) {
            return;
        }
        pending.skipBytes(length);
        lateNewlineBelongsToLastNumber = true;
        ctx.fireChannelRead(PrimeRequest.parse(line, 0, length));
        ctx.fireChannelReadComplete();
    }

    /** @return false when only a '\r' has arrived and the next byte decides */
    private boolean skipLateNewline(ByteBuf in) {
        int first = in.getByte(in.readerIndex());
        if (first == '\n') {
            in.skipBytes(1);
            lineFramed = true;
        } else if (first == '\r') {
            if (in.readableBytes() < 2) {
                return false;
            }
            if (in.getByte(in.readerIndex() + 1) == '\n') {
                in.skipBytes(2);
                lineFramed = true;
            }
        }
        lateNewlineBelongsToLastNumber = false;
        return true;
    }

    private void fail(ByteBuf in, List<Object> out) {
        discarding = true;
        in.skipBytes(in.readableBytes());
        out.add(PrimeRequest.rejected(PrimeReply.LINE_TOO_LONG));
    }

    private void cancelLinger() {
        if (lingerTimer != null) {
            lingerTimer.cancel(false);
            lingerTimer = null;
        }
    }
}
