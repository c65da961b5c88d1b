package dev.ricochet.loadgen.run;

import dev.ricochet.loadgen.workload.Request;
import dev.ricochet.loadgen.workload.Workload;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * Drives one connection: checks the greeting, sends requests by the load model, checks every
 * reply byte against what the protocol owes, and records each reply's latency. Confined to
 * the connection's event loop.
 *
 * <p>Closed loop keeps {@code pipeline} requests outstanding. Open loop sends on a
 * constant-rate plan (one request every {@code intervalNanos}, from a random phase), but never
 * more than {@code pipeline} outstanding: a late reply delays the requests planned behind it,
 * which are then sent at once and charged from their planned time (see {@link RunStats}).
 */
final class ConnectionDriver extends ChannelInboundHandlerAdapter {

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[64 * 1024];
        }
    };

    private final Workload workload;
    private final RunStats stats;
    private final RunControl control;
    private final int pipeline;
    private final long intervalNanos;
    private final long connectStartedNanos;
    private final long firstSendOffsetNanos;
    private final long replyTimeoutNanos;
    private final Outstanding inFlight;
    private LoopStats loopStats;
    private ChannelHandlerContext ctx;
    private int greetingMatched;
    private int replyOffset;
    private long sequence;
    private long nextIntendedNanos;
    private SendClock clock;
    private boolean waiting;
    private boolean failed;

    /**
     * @param intervalNanos        open loop: time between two planned requests of this
     *                             connection; 0 for closed loop
     * @param firstSendOffsetNanos open loop: this connection's phase within the interval, so
     *                             that the connections' plans interleave evenly
     * @param replyTimeoutNanos    how long the oldest request may wait for its reply
     * @param index                this connection's number in the run: its requests are
     *                             numbered from {@code index << 32}, so that connections draw
     *                             different requests (and the same ones in every run)
     */
    ConnectionDriver(Workload workload, RunStats stats, RunControl control, int pipeline, long intervalNanos,
            long firstSendOffsetNanos, long replyTimeoutNanos, int index, long connectStartedNanos) {
        this.workload = workload;
        this.stats = stats;
        this.control = control;
        this.pipeline = pipeline;
        this.intervalNanos = intervalNanos;
        this.connectStartedNanos = connectStartedNanos;
        this.firstSendOffsetNanos = firstSendOffsetNanos;
        this.replyTimeoutNanos = replyTimeoutNanos;
        this.sequence = (long) index << 32;
        this.inFlight = new Outstanding(sequence);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        loopStats = stats.of(ctx.executor());
        stats.connectTime.recordValue(Math.min(RunStats.HIGHEST_NANOS, System.nanoTime() - connectStartedNanos));
        stats.open.incrementAndGet();
        stats.connected.increment();
        control.opened(ctx.channel());
        if (intervalNanos > 0) {
            clock = control.clockOf(ctx.executor());
        }
        if (workload.greeting().length == 0) {
            start();
        }
    }

    private void start() {
        if (!workload.sendsRequests()) {
            return;
        }
        if (intervalNanos > 0) {
            nextIntendedNanos = System.nanoTime() + firstSendOffsetNanos;
        }
        sendWhatIsDue();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        if (!workload.sendsRequests()) {
            buf.release(); // idle: whatever the server says is not checked
            return;
        }
        try {
            byte[] scratch = SCRATCH.get();
            while (buf.isReadable() && !failed) {
                int n = Math.min(buf.readableBytes(), scratch.length);
                buf.readBytes(scratch, 0, n);
                check(scratch, n);
            }
        } finally {
            buf.release();
        }
        if (!failed) {
            sendWhatIsDue();
        }
    }

    /** Matches received bytes against the greeting, then the outstanding replies in order. */
    private void check(byte[] bytes, int length) {
        int at = 0;
        byte[] greeting = workload.greeting();
        while (at < length && greetingMatched < greeting.length) {
            if (bytes[at] != greeting[greetingMatched]) {
                fail("greeting byte " + greetingMatched + ": expected " + show(greeting[greetingMatched])
                        + ", got " + show(bytes[at]));
                return;
            }
            at++;
            if (++greetingMatched == greeting.length) {
                start();
            }
        }
        long now = System.nanoTime();
        while (at < length) {
            if (inFlight.isEmpty()) {
                fail(length - at + " byte(s) nobody asked for, starting with " + show(bytes[at]));
                return;
            }
            Request head = inFlight.oldest();
            byte[] expected = head.expectedReply();
            int n = Math.min(length - at, expected.length - replyOffset);
            int differs = Arrays.mismatch(bytes, at, at + n, expected, replyOffset, replyOffset + n);
            if (differs >= 0) {
                fail("request " + inFlight.oldestSequence() + ", reply byte " + (replyOffset + differs) + ": expected "
                        + show(expected[replyOffset + differs]) + ", got " + show(bytes[at + differs]));
                return;
            }
            at += n;
            replyOffset += n;
            if (replyOffset == expected.length) {
                loopStats.replied(stats.measuring, inFlight.oldestIntendedNanos(), inFlight.oldestSentNanos(), now,
                        head.requestBytes(), expected.length);
                inFlight.removeOldest();
                replyOffset = 0;
            }
        }
    }

    private void sendWhatIsDue() {
        if (!workload.sendsRequests() || control.stopping() || failed || !ctx.channel().isActive()
                || greetingMatched < workload.greeting().length) {
            return;
        }
        long now = System.nanoTime();
        boolean wrote = false;
        while (inFlight.size() < pipeline) {
            long intended;
            if (intervalNanos > 0) {
                if (nextIntendedNanos > now) {
                    scheduleAt(nextIntendedNanos, now);
                    break;
                }
                intended = nextIntendedNanos;
                nextIntendedNanos += intervalNanos;
            } else {
                intended = now;
            }
            Request request = workload.next(sequence);
            inFlight.add(request, intended, now);
            sequence++;
            int writes = request.writeCount();
            for (int i = 0; i < writes; i++) {
                ctx.write(request.write(i, ctx.alloc()), ctx.voidPromise());
                if (i < writes - 1) {
                    ctx.flush(); // a split request goes out as separate segments
                }
            }
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private void scheduleAt(long dueNanos, long now) {
        if (!waiting) {
            waiting = true;
            clock.wakeAt(this, dueNanos);
        }
    }

    /** Called by the {@link SendClock} at or after the time this connection asked for. */
    void woken(long now) {
        waiting = false;
        sendWhatIsDue();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            // Nothing was read for a while; it is a timeout only if the oldest request has
            // itself waited that long (it may have been sent a moment ago).
            if (!inFlight.isEmpty() && !control.stopping()
                    && System.nanoTime() - inFlight.oldestSentNanos() >= replyTimeoutNanos) {
                stats.error(ErrorKind.TIMEOUT);
                failed = true;
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!failed && !control.stopping()) {
            failed = true;
            stats.error(ErrorClassifier.classify(cause));
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.open.decrementAndGet();
        if (!failed && !control.stopping()) {
            stats.error(ErrorKind.CLOSED_EARLY);
        }
        control.closed(ctx.channel());
    }

    private void fail(String what) {
        failed = true;
        stats.mismatch(ctx.channel().remoteAddress() + " from " + ctx.channel().localAddress() + ": " + what);
        ctx.close();
    }

    private static String show(byte b) {
        int v = b & 0xFF;
        return v >= 0x20 && v < 0x7F ? "'" + (char) v + "' (0x" + Integer.toHexString(v) + ")" : "0x" + Integer.toHexString(v);
    }
}
