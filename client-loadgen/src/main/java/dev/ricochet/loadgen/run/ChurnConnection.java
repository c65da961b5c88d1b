package dev.ricochet.loadgen.run;

import dev.ricochet.loadgen.workload.Request;
import dev.ricochet.loadgen.workload.Workload;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection of {@code --churn}: connect, TLS handshake (with {@code --tls}), the greeting
 * verified (for echo), one request sent and its reply verified byte for byte (for a workload
 * that sends requests), then closed by the load generator. It settles once, done or failed: a
 * failure is a failed connect of its kind (the report's connect failures and errors by kind),
 * whenever in the cycle it happens, since the cycle is the connect being measured. Its connect
 * time, recorded when it is up (handshaken and greeted), counts from its planned start.
 * Confined to its event loop, but for a connect that failed before it had a channel.
 */
final class ChurnConnection extends ChannelInboundHandlerAdapter implements ChannelFutureListener {

    /** Where it is in its one cycle; each step owes the next by a deadline. */
    private enum Step {
        CONNECTING, HANDSHAKING, AWAITING_GREETING, AWAITING_REPLY, DONE, FAILED;

        boolean settled() {
            return this == DONE || this == FAILED;
        }
    }

    private final ChurnRun run;
    private final RunStats stats;
    private final Workload workload;
    private final long sequence;
    private final long plannedNanos;
    private final boolean measured;
    private ChannelHandlerContext ctx;
    private Step step = Step.CONNECTING;
    private long connectStartedNanos;
    private ScheduledFuture<?> deadline;
    private int greetingMatched;
    private byte[] expectedReply;
    private int replyMatched;
    private boolean active;

    /**
     * @param sequence     the connection's number in the run, which also numbers its request
     * @param plannedNanos when it was planned to start: its connect time counts from then
     * @param measured     whether it was planned in the measurement
     */
    ChurnConnection(ChurnRun run, long sequence, long plannedNanos, boolean measured) {
        this.run = run;
        this.stats = run.stats();
        this.workload = run.spec().workload();
        this.sequence = sequence;
        this.plannedNanos = plannedNanos;
        this.measured = measured;
    }

    /** The TCP connect's outcome: a failed one settles the connection here (it never became active). */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (!future.isSuccess()) {
            fail(ErrorClassifier.classify(future.cause()), future.cause());
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        connectStartedNanos = System.nanoTime();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        active = true;
        stats.open.incrementAndGet();
        if (step.settled()) { // a connect that failed by its timeout, completing at last
            ctx.close();
            return;
        }
        // The handshake, the greeting and the connect share one deadline, from the connect's start.
        arm(connectStartedNanos + run.spec().network().connectTimeout().toNanos());
        if (run.spec().network().tls() != null) {
            step = Step.HANDSHAKING;
        } else {
            connected();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && step == Step.HANDSHAKING) {
            if (handshake.isSuccess()) {
                connected();
            } else {
                fail(ErrorKind.TLS, handshake.cause());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    private void connected() {
        if (workload.greeting().length == 0) {
            up();
        } else {
            step = Step.AWAITING_GREETING;
        }
    }

    /** Connected, handshaken and greeted: its connect time ends here; then its request, or done. */
    private void up() {
        long now = System.nanoTime();
        if (measured) {
            stats.connectTime.recordValue(Math.min(RunStats.HIGHEST_NANOS, now - plannedNanos));
        }
        stats.established(false);
        if (!workload.sendsRequests()) {
            done();
            return;
        }
        Request request = workload.next(sequence);
        expectedReply = request.expectedReply();
        step = Step.AWAITING_REPLY;
        int writes = request.writeCount();
        for (int i = 0; i < writes; i++) {
            ctx.write(request.write(i, ctx.alloc()), ctx.voidPromise());
            if (i < writes - 1) {
                ctx.flush(); // a split request goes out as separate segments
            }
        }
        ctx.flush();
        cancelDeadline();
        arm(now + run.spec().load().replyTimeout().toNanos());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            while (buf.isReadable() && !step.settled()) {
                byte b = buf.readByte();
                if (step == Step.AWAITING_GREETING) {
                    byte[] greeting = workload.greeting();
                    if (b != greeting[greetingMatched]) {
                        mismatch("greeting byte " + greetingMatched, greeting[greetingMatched], b);
                    } else if (++greetingMatched == greeting.length) {
                        up();
                    }
                } else if (step == Step.AWAITING_REPLY) {
                    if (b != expectedReply[replyMatched]) {
                        mismatch("reply byte " + replyMatched, expectedReply[replyMatched], b);
                    } else if (++replyMatched == expectedReply.length) {
                        done();
                    }
                } else {
                    mismatch("a byte before the connection was up", (byte) 0, b);
                }
            }
        } finally {
            buf.release();
        }
    }

    private void mismatch(String what, byte expected, byte got) {
        stats.mismatchSample(ctx.channel().remoteAddress() + " from " + ctx.channel().localAddress() + ", churn"
                + " connection " + sequence + ", " + what + ": expected 0x" + Integer.toHexString(expected & 0xFF)
                + ", got 0x" + Integer.toHexString(got & 0xFF));
        fail(ErrorKind.MISMATCH, null);
    }

    private void done() {
        step = Step.DONE;
        cancelDeadline();
        run.settled(measured, true);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ErrorClassifier.classify(cause), cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.open.decrementAndGet();
        fail(ErrorKind.CLOSED_EARLY, null);
    }

    private void arm(long dueNanos) {
        deadline = ctx.executor().schedule(this::deadlinePassed, Math.max(0, dueNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    }

    private void deadlinePassed() {
        switch (step) {
            case HANDSHAKING -> fail(ErrorKind.TLS,
                    new SslHandshakeTimeoutException("handshake not finished within --connect-timeout"));
            case AWAITING_GREETING -> fail(ErrorKind.NO_GREETING, null);
            case AWAITING_REPLY -> fail(ErrorKind.TIMEOUT, null);
            default -> {
                // settled, or not connected yet (the connect's own timeout settles that)
            }
        }
    }

    /** Its first failure settles it; anything after (its own close, mostly) is not counted. */
    private void fail(ErrorKind kind, Throwable cause) {
        if (step.settled()) {
            return;
        }
        step = Step.FAILED;
        cancelDeadline();
        stats.connectFailed(kind);
        if (cause != null) {
            stats.sampleOther(kind, cause);
        }
        run.settled(measured, false);
        if (ctx != null && active) {
            ctx.close();
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
