package dev.ricochet.loadgen.run;

import dev.ricochet.loadgen.workload.Request;
import dev.ricochet.loadgen.workload.Workload;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Drives one TCP connection of a {@link ConnectionSlot}: checks the greeting, sends requests
 * by the slot's {@link SendPlan} once the run's connect phase is over, checks every reply
 * byte against what the protocol owes, and records each reply's latency. Its {@link Phase}
 * says where it is in its life. Every request it sends ends in
 * exactly one of: answered, shed (the server's load-shedding reply, such as the prime
 * protocol's {@code error: busy}; the connection goes on), failed (with the kind of error that
 * ended the connection: a timeout, a reset, an early close, a mismatch), or unanswered when
 * the measurement ends. Confined to the connection's event loop.
 *
 * <p>The connection is up once its TCP connect has completed and, for a protocol with a
 * greeting, the greeting has arrived: a completed handshake alone does not show that the
 * server accepted the connection (an overflowing accept queue completes handshakes the server
 * never sees). Only an up connection counts as open and established and may send. The TCP
 * connect and the greeting share one deadline, {@code --connect-timeout} from the connect's
 * start; a connection that misses it, or fails otherwise before it is up, is a failed connect
 * ({@link ErrorKind#NO_GREETING} when the greeting is what did not come), not a lost one.
 * With TLS the handshake comes between the two, under the same deadline: the connection is up
 * once it is connected, its handshake complete and (for a protocol with one) its greeting
 * verified, so the connect time includes the handshake; a failed or unfinished handshake is a
 * failed connect of kind {@link ErrorKind#TLS}, its reason among the report's error samples.
 *
 * <p>Closed loop keeps {@code pipeline} requests outstanding. Open loop sends on the slot's
 * plan, but never more than {@code pipeline} outstanding: a late reply delays the
 * requests planned behind it, which are then sent at once and charged from their planned time
 * (see {@link RunStats}).
 *
 * <p>Each request has its own deadline, {@code --timeout} after it was sent. Replies come in
 * request order, so only the oldest request's deadline can be the next to pass: one scheduled
 * check per connection looks at it and re-arms itself for the next oldest. A reply completed
 * after its deadline is a timeout too, even when the check has not run yet.
 */
final class ConnectionDriver extends ChannelInboundHandlerAdapter implements SendClock.Sleeper {

    /**
     * Where a connection is in its life. Whether it came up decides what its end counts (a
     * failed connect, or a lost connection with its requests), so each way of ending has a
     * phase before up and one after. The legal moves are the methods below; the driver makes
     * no other.
     */
    enum Phase {
        /** Its TCP connect is under way. */
        CONNECTING,
        /** Connected over TLS; the handshake is owed by the connect's deadline. */
        HANDSHAKING,
        /** Connected; the greeting is owed by the connect's deadline. */
        AWAITING_GREETING,
        /** Up (connected and greeted; counted open), held until the run's connect phase is over. */
        UP,
        /** Up and sending. */
        SENDING,
        /** Failed before it came up: closing, and a failed connect. */
        FAILED_BEFORE_UP,
        /** Failed once up: closing; nothing more is sent, and its requests fail with the failure's kind. */
        FAILED,
        /** Given up by the run before it came up: a failed connect; nothing more is counted. */
        GIVEN_UP_BEFORE_UP,
        /** Given up by the run once up: its requests were counted then; nothing more is counted. */
        GIVEN_UP;

        /** Whether it came up (and so counts as open until its channel closes). */
        boolean up() {
            return this == UP || this == SENDING || this == FAILED || this == GIVEN_UP;
        }

        /** Neither failed nor given up: it may still read, send and fail. */
        boolean live() {
            return this == CONNECTING || this == HANDSHAKING || this == AWAITING_GREETING || this == UP
                    || this == SENDING;
        }

        boolean givenUp() {
            return this == GIVEN_UP_BEFORE_UP || this == GIVEN_UP;
        }

        /** Its TCP connect completed, and it speaks TLS: the handshake comes next. */
        Phase handshake() {
            return require(this == CONNECTING, "start a handshake", HANDSHAKING);
        }

        /** Its TCP connect (and TLS handshake) completed, and its protocol owes a greeting. */
        Phase awaitGreeting() {
            return require(this == CONNECTING || this == HANDSHAKING, "await a greeting", AWAITING_GREETING);
        }

        /** Connected, handshaken if over TLS, and greeted if its protocol greets. */
        Phase comeUp() {
            return require(this == CONNECTING || this == HANDSHAKING || this == AWAITING_GREETING, "come up", UP);
        }

        /** The run's connect phase is over: an up connection starts sending. */
        Phase startSending() {
            return require(this == UP, "start sending", SENDING);
        }

        /** Its first failure; a connection already failed or given up stays as it is. */
        Phase fail() {
            if (!live()) {
                return this;
            }
            return up() ? FAILED : FAILED_BEFORE_UP;
        }

        /** The run gives it up (the measurement is over, or it ended while this one connected). */
        Phase giveUp() {
            if (givenUp()) {
                return this;
            }
            return up() ? GIVEN_UP : GIVEN_UP_BEFORE_UP;
        }

        private Phase require(boolean legal, String move, Phase next) {
            if (!legal) {
                throw new IllegalStateException("a connection " + this + " cannot " + move);
            }
            return next;
        }
    }

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[64 * 1024];
        }
    };

    private final ConnectionSlot slot;
    private final SendPlan plan;
    private final Workload workload;
    private final RunStats stats;
    private final RunControl control;
    private final int pipeline;
    private final long connectStartedNanos;
    /** When the connection must be up: the TCP connect and the greeting share this deadline. */
    private final long upDeadlineNanos;
    private final long replyTimeoutNanos;
    private final boolean reconnect;
    private final boolean tls;
    private final Outstanding inFlight;
    /** The protocol's load-shedding reply, or null. */
    private final byte[] shedReply;
    private final Runnable deadlineCheck = this::checkDeadline;
    private LoopStats loopStats;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.CONNECTING;
    private long upSinceNanos;
    private int greetingMatched;
    private int replyOffset;
    /** The reply the oldest request is being matched against: its own, or the shed reply. */
    private byte[] replyExpected;
    private SendClock clock;
    /** Whether the clock holds this connection, to wake it when its next request is due. */
    private boolean waiting;
    private ScheduledFuture<?> deadline;
    /** Why the connection is ending, once it is; its outstanding requests fail with this kind. */
    private ErrorKind failure;

    /**
     * @param connectStartedNanos when the connect began: the connect-time histogram and the
     *                            greeting's deadline count from it
     * @param reconnect           whether this connection replaces one of the slot's (or a failed attempt)
     */
    ConnectionDriver(ConnectionSlot slot, LoadSpec spec, RunStats stats, RunControl control, long connectStartedNanos,
            boolean reconnect) {
        this.slot = slot;
        this.plan = slot.plan();
        this.workload = spec.workload();
        this.stats = stats;
        this.control = control;
        this.pipeline = spec.load().pipeline();
        this.replyTimeoutNanos = spec.load().replyTimeout().toNanos();
        this.connectStartedNanos = connectStartedNanos;
        this.upDeadlineNanos = connectStartedNanos + spec.network().connectTimeout().toNanos();
        this.reconnect = reconnect;
        this.tls = spec.network().tls() != null;
        this.inFlight = new Outstanding();
        this.shedReply = workload.shedReply();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        loopStats = stats.of(ctx.executor());
        if (slot.finished()) {
            phase = phase.giveUp(); // the run ended while this connect was under way
            ctx.close();
            return;
        }
        control.opened(ctx.channel()); // closed when the run stops, up or not
        slot.connected(this);
        if (plan.openLoop()) {
            clock = control.clockOf(ctx.executor());
        }
        if (tls) {
            phase = phase.handshake();
            armDeadline(System.nanoTime()); // the handshake is owed by the connect's deadline
        } else {
            connected(System.nanoTime());
        }
    }

    /** Connected, and handshaken over TLS: up now, or once the greeting has come. */
    private void connected(long now) {
        if (workload.greeting().length == 0) {
            up(now);
        } else {
            phase = phase.awaitGreeting();
            armDeadline(now); // the greeting is owed by the connect's deadline
        }
    }

    /** The TLS handshake's outcome: the connection goes on to its greeting, or fails to come up. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && phase == Phase.HANDSHAKING) {
            if (handshake.isSuccess()) {
                connected(System.nanoTime());
            } else {
                tlsFailed(handshake.cause());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    private void tlsFailed(Throwable cause) {
        if (failure == null && !control.stopping()) {
            stats.sampleOther(ErrorKind.TLS, cause);
        }
        fail(ErrorKind.TLS);
    }

    /** The connection is up: it counts as open from now on, and sends once the load has started. */
    private void up(long now) {
        phase = phase.comeUp();
        if (deadline != null) {
            // Armed for the greeting, maybe long after the first reply's deadline: re-armed by the first send.
            deadline.cancel(false);
            deadline = null;
        }
        upSinceNanos = now;
        stats.connectTime.recordValue(Math.min(RunStats.HIGHEST_NANOS, now - connectStartedNanos));
        stats.open.incrementAndGet();
        stats.established(reconnect);
        slot.up(this);
    }

    boolean isUp() {
        return phase.up();
    }

    /** The requests sent and awaiting their replies, oldest first: read by a search's judge, on this loop. */
    Outstanding outstanding() {
        return inFlight;
    }

    /**
     * Starts sending, if the connection is up and has not started yet; called when it comes
     * up after the connect phase, and by the slot when the connect phase ends.
     */
    void start() {
        if (phase != Phase.UP || !workload.sendsRequests()) {
            return;
        }
        phase = phase.startSending();
        plan.start(System.nanoTime(), control.measureFromNanos());
        sendWhatIsDue();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        if (!workload.sendsRequests() || phase.givenUp()) {
            buf.release(); // idle, or given up: whatever the server says is not checked
            return;
        }
        try {
            byte[] scratch = SCRATCH.get();
            while (buf.isReadable() && phase.live()) {
                int n = Math.min(buf.readableBytes(), scratch.length);
                ByteBufCopy.readInto(buf, scratch, n);
                check(scratch, n);
            }
        } finally {
            buf.release();
        }
        sendWhatIsDue();
    }

    /** Matches received bytes against the greeting, then the outstanding replies in order. */
    private void check(byte[] bytes, int length) {
        int at = 0;
        byte[] greeting = workload.greeting();
        while (at < length && greetingMatched < greeting.length) {
            if (bytes[at] != greeting[greetingMatched]) {
                mismatch("greeting byte " + greetingMatched + ": expected " + show(greeting[greetingMatched])
                        + ", got " + show(bytes[at]));
                return;
            }
            at++;
            if (++greetingMatched == greeting.length) {
                up(System.nanoTime());
            }
        }
        long now = System.nanoTime();
        while (at < length) {
            if (inFlight.isEmpty()) {
                mismatch(length - at + " byte(s) nobody asked for, starting with " + show(bytes[at]));
                return;
            }
            Request head = inFlight.oldest();
            if (replyOffset == 0) {
                // The first byte tells the request's own reply from the server's shedding one.
                byte[] own = head.expectedReply();
                replyExpected = shedReply != null && bytes[at] != own[0] && bytes[at] == shedReply[0] ? shedReply : own;
            }
            byte[] expected = replyExpected;
            int n = Math.min(length - at, expected.length - replyOffset);
            int differs = Arrays.mismatch(bytes, at, at + n, expected, replyOffset, replyOffset + n);
            if (differs >= 0) {
                mismatch("request " + inFlight.oldestSequence() + ", reply byte " + (replyOffset + differs)
                        + ": expected " + show(expected[replyOffset + differs]) + ", got " + show(bytes[at + differs]));
                return;
            }
            at += n;
            replyOffset += n;
            if (replyOffset == expected.length) {
                if (now - inFlight.oldestSentNanos() >= replyTimeoutNanos) {
                    // Complete, but after its deadline: a timeout, however the checks fell.
                    fail(ErrorKind.TIMEOUT);
                    return;
                }
                if (expected == shedReply) {
                    loopStats.shed(stats.measuringAt(now), inFlight.oldestIntendedNanos(), now, head.requestBytes(),
                            expected.length);
                } else {
                    loopStats.replied(stats.measuringAt(now), inFlight.oldestIntendedNanos(), inFlight.oldestSentNanos(),
                            now, head.requestBytes(), expected.length);
                }
                inFlight.removeOldest();
                replyOffset = 0;
            }
        }
    }

    private void sendWhatIsDue() {
        if (phase != Phase.SENDING || control.stopping() || !ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        boolean wrote = false;
        while (inFlight.size() < pipeline) {
            SendPlan.Resend again = plan.takeResend();
            Request request;
            if (again != null) {
                request = again.request();
                inFlight.add(request, again.sequence(), again.intendedNanos(), now);
                loopStats.sentAgain();
            } else {
                if (!plan.due(now)) {
                    scheduleAt(plan.nextIntendedNanos());
                    break;
                }
                long intended = plan.takeIntended(now);
                long sequence = plan.takeSequence();
                request = workload.next(sequence);
                inFlight.add(request, sequence, intended, now);
                loopStats.sent();
                if (plan.openLoop()) {
                    loopStats.sendLag(stats.measuringAt(now), intended, now);
                }
            }
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
            armDeadline(now);
        }
    }

    private void scheduleAt(long dueNanos) {
        if (!waiting) {
            waiting = true;
            clock.wakeAt(this, dueNanos);
        }
    }

    /** Called by the {@link SendClock} at or after the time this connection asked for. */
    @Override
    public void woken(long now) {
        waiting = false;
        if (ctx.channel().isActive()) {
            sendWhatIsDue();
        }
    }

    /** When the next thing owed is overdue: the greeting, else the oldest request's reply; MAX_VALUE when nothing is owed. */
    private long nextDeadlineNanos() {
        if (!phase.up()) {
            return upDeadlineNanos;
        }
        return inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.oldestSentNanos() + replyTimeoutNanos;
    }

    /** Schedules the deadline check for what is owed first, unless one is pending. */
    private void armDeadline(long now) {
        long due = nextDeadlineNanos();
        if (deadline == null && due != Long.MAX_VALUE) {
            deadline = ctx.executor().schedule(deadlineCheck, Math.max(0, due - now), TimeUnit.NANOSECONDS);
        }
    }

    private void checkDeadline() {
        deadline = null;
        if (!phase.live() || control.stopping()) {
            return;
        }
        long now = System.nanoTime();
        if (now >= nextDeadlineNanos()) {
            if (phase == Phase.HANDSHAKING) {
                tlsFailed(new SslHandshakeTimeoutException("handshake not finished within --connect-timeout"));
                return;
            }
            fail(phase.up() ? ErrorKind.TIMEOUT : ErrorKind.NO_GREETING);
        } else {
            armDeadline(now); // what it was armed for came: watch the next oldest (the next send arms it when none)
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            ErrorKind kind = ErrorClassifier.classify(cause);
            if (!phase.givenUp() && !control.stopping()) { // not the noise of the run's own teardown
                stats.sampleOther(kind, cause);
            }
            failed(kind);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        if (phase.up()) {
            stats.open.decrementAndGet();
        }
        control.closed(ctx.channel());
        if (phase.givenUp()) {
            return; // its requests were counted when the run gave it up
        }
        if (!phase.up()) {
            if (!control.stopping()) { // else the slot reports it at the end, still owed its greeting
                slot.failedToComeUp(this, failure != null ? failure : ErrorKind.CLOSED_EARLY);
            }
            return;
        }
        if (control.stopping() && failure != ErrorKind.MISMATCH) {
            // The measurement is over: what it still owed is unanswered, not failed.
            long now = System.nanoTime();
            finish(now, now, loopStats);
            return;
        }
        ErrorKind kind = failure != null ? failure : ErrorKind.CLOSED_EARLY;
        if (failure == null && replyOffset == 0) {
            // Closed in order (FIN, not reset) before any byte of the oldest reply: the
            // connection is lost, but its requests go out again on the next one.
            plan.takeBack(inFlight);
        }
        int lostRequests = failOutstanding();
        stats.connectionLost(kind, lostRequests);
        slot.lost(this, System.nanoTime() - upSinceNanos);
    }

    /**
     * Gives the connection up at the end of the measurement: each request still outstanding
     * is counted as unanswered, with its latency up to {@code now}, unless its deadline had
     * passed by {@code measureEndNanos} (its check had not run yet): that one timed out.
     * A connection still owed its greeting is a failed connect, {@code no greeting}: the run
     * must not end with connections that never came up and no error to show for them.
     * Nothing is counted after.
     */
    void finish(long now, long measureEndNanos, LoopStats loopStats) {
        if (phase.givenUp()) {
            return;
        }
        boolean handshaking = phase == Phase.HANDSHAKING;
        phase = phase.giveUp();
        if (!phase.up()) {
            stats.connectFailed(failure == ErrorKind.MISMATCH ? ErrorKind.MISMATCH
                    : handshaking ? ErrorKind.TLS : ErrorKind.NO_GREETING);
            return;
        }
        if (failure == ErrorKind.MISMATCH) {
            // A wrong reply, read as the run ended: its close is still on its way, but the
            // mismatch must count (it fails the run) as it would have a moment earlier.
            stats.connectionLost(ErrorKind.MISMATCH, failOutstanding());
            return;
        }
        int timedOut = 0;
        while (!inFlight.isEmpty()) {
            if (measureEndNanos - inFlight.oldestSentNanos() >= replyTimeoutNanos) {
                timedOut++;
                loopStats.failed(inFlight.oldestIntendedNanos());
            } else {
                loopStats.unanswered(now, inFlight.oldestIntendedNanos(), inFlight.oldestSentNanos());
            }
            inFlight.removeOldest();
        }
        if (timedOut > 0) {
            stats.requestsFailed(ErrorKind.TIMEOUT, timedOut);
        }
    }

    /**
     * Every request still outstanding fails with the connection: each counts in the phase it was
     * planned in; the caller counts them by kind.
     *
     * @return how many
     */
    private int failOutstanding() {
        int count = inFlight.size();
        while (!inFlight.isEmpty()) {
            loopStats.failed(inFlight.oldestIntendedNanos());
            inFlight.removeOldest();
        }
        return count;
    }

    private void fail(ErrorKind kind) {
        if (failure == null) {
            failed(kind);
        }
        ctx.close();
    }

    /** The connection's first failure: why it ends, and the kind its outstanding requests fail with. */
    private void failed(ErrorKind kind) {
        failure = kind;
        phase = phase.fail();
    }

    private void mismatch(String what) {
        if (failure == null) {
            stats.mismatchSample(ctx.channel().remoteAddress() + " from " + ctx.channel().localAddress() + ": " + what);
        }
        fail(ErrorKind.MISMATCH);
    }

    private static String show(byte b) {
        int v = b & 0xFF;
        return v >= 0x20 && v < 0x7F ? "'" + (char) v + "' (0x" + Integer.toHexString(v) + ")" : "0x" + Integer.toHexString(v);
    }
}
