package dev.ricochet.loadgen.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One of the run's {@code --connections}: it outlives the TCP connections that carry it. When
 * one dies, its requests are counted as failed by its {@link ConnectionDriver}, and the slot
 * connects again after a backoff, so that a failing server does not quietly get fewer
 * connections and, in open loop, a lower rate than asked. What the slot sends, and when, is
 * its {@link SendPlan}, which its connections carry on one after another. Confined to its
 * event loop, on which all its connections run.
 *
 * <p>Its first connection attempt has settled once a connection is up (see
 * {@link ConnectionDriver}) or the attempt has failed; the run starts the load when every
 * slot's has.
 */
final class ConnectionSlot {

    /** First wait before connecting again; doubles with each failure in a row. */
    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Longest wait; a connection that lived this long resets the backoff. */
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int index;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final LoadSpec spec;
    private final RunStats stats;
    private final RunControl control;
    private final Runnable firstAttemptSettled;
    private final SendPlan plan;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private boolean attempted;
    /** Whether the first attempt has settled: a connection up, or an attempt failed. */
    private boolean settled;
    /** Whether a TCP connect is under way. */
    private boolean connecting;
    private boolean everUp;
    /** The connection, from its TCP connect on (up or not), until it is gone. */
    private ConnectionDriver driver;
    private ScheduledFuture<?> reconnect;
    private boolean finished;

    /**
     * @param index               this connection's number in this process; its plan is numbered
     *                            in the whole run (see {@link LoadSpec.Shard})
     * @param plan                what the slot sends, and when (see {@link LoadSpec#planOf})
     * @param firstAttemptSettled called once, when the first connection is up or the first attempt failed
     */
    ConnectionSlot(int index, EventLoop loop, Bootstrap bootstrap, LoadSpec spec, RunStats stats, RunControl control,
            SendPlan plan, Runnable firstAttemptSettled) {
        this.index = index;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.spec = spec;
        this.stats = stats;
        this.control = control;
        this.firstAttemptSettled = firstAttemptSettled;
        this.plan = plan;
    }

    EventLoop loop() {
        return loop;
    }

    /** Opens a connection for this slot; from any thread. */
    void connectFirst() {
        loop.execute(this::connect);
    }

    private void connect() {
        reconnect = null;
        if (finished || control.stopping()) {
            return;
        }
        boolean first = !attempted;
        attempted = true;
        long started = System.nanoTime();
        ConnectionDriver next = new ConnectionDriver(this, spec, stats, control, started, !first);
        Bootstrap b = bootstrap.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ClientTls tls = spec.network().tls();
                if (tls != null) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), spec.target().getPort()));
                }
                ch.pipeline().addLast(next);
            }
        });
        // By the local number: each shard spreads its own connections over every address.
        ChannelFuture future = spec.network().sourceAddresses().isEmpty()
                ? b.connect(spec.target())
                : b.connect(spec.target(), new InetSocketAddress(
                        spec.network().sourceAddresses().get(index % spec.network().sourceAddresses().size()), 0));
        connecting = true;
        future.addListener(f -> onLoop(() -> {
            connecting = false;
            if (!f.isSuccess()) {
                connectFailed(ErrorClassifier.classify(f.cause()));
            }
        }));
    }

    private void connectFailed(ErrorKind kind) {
        if (finished || control.stopping()) {
            return;
        }
        stats.connectFailed(kind);
        settle();
        scheduleReconnect();
    }

    private void settle() {
        if (!settled) {
            settled = true;
            firstAttemptSettled.run();
        }
    }

    /** Called by a driver when its TCP connect has completed: it may not be up yet. */
    void connected(ConnectionDriver connected) {
        driver = connected;
    }

    /** Called by a driver when its connection is up; it sends at once if the load has started. */
    void up(ConnectionDriver upNow) {
        everUp = true;
        settle();
        if (control.loadStarted()) {
            upNow.start();
        }
    }

    /** Called on its loop when the connect phase is over: the connection, if up, starts sending. */
    void startLoad() {
        if (driver != null) {
            driver.start();
        }
    }

    /** Called by a driver whose connection went before it was up (no greeting, closed, reset). */
    void failedToComeUp(ConnectionDriver failed, ErrorKind kind) {
        if (driver == failed) {
            driver = null;
        }
        connectFailed(kind);
    }

    /** Called by a driver when its connection has gone, after it counted what it had outstanding. */
    void lost(ConnectionDriver gone, long livedNanos) {
        if (driver == gone) {
            driver = null;
        }
        if (livedNanos >= MAX_BACKOFF_NANOS) {
            backoffNanos = MIN_BACKOFF_NANOS; // a long life: this was not a failure in a row
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (finished || control.stopping() || reconnect != null) {
            return;
        }
        long delay = backoffNanos;
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        reconnect = loop.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
    }

    /** Whether the run has given this slot up: its connection must not send or count anything more. */
    boolean finished() {
        return finished;
    }

    /** What the slot sends next, and when; carried on by each of its connections. */
    SendPlan plan() {
        return plan;
    }

    /**
     * Ends the slot when the measurement ends: its connection's outstanding requests, and in
     * open loop every request planned up to {@code measureEndNanos} but not sent, are counted
     * as unanswered, with their latency up to {@code now}; in open loop, the requests its plan
     * put inside the measurement are counted as planned.
     *
     * @param measureStartNanos the measurement's planned start: the open-loop plans count from it,
     *                          and the plan of a slot that never got a connection starts there
     */
    void finish(long now, long measureStartNanos, long measureEndNanos, LoopStats loopStats) {
        if (finished) {
            return;
        }
        finished = true;
        notUp().ifPresent(state -> stats.notUpAtEnd(state, everUp));
        if (reconnect != null) {
            reconnect.cancel(false);
            reconnect = null;
        }
        if (driver != null) {
            driver.finish(now, measureEndNanos, loopStats);
        }
        if (spec.workload().sendsRequests()) {
            plan.finish(now, measureStartNanos, measureEndNanos, loopStats);
        }
    }

    /**
     * A search starts every slot's plan when its load starts, connection or not, so that a slot
     * without one owes its share of every step (unanswered, never sent) as one that lost its
     * connection does.
     *
     * @param originNanos when the search starts: the plans count from it
     */
    void startPlan(long now, long originNanos) {
        plan.start(now, originNanos);
    }

    /** A search's step starts at {@code stepStartNanos}: see {@link SendPlan#abandonBefore}. */
    void abandonBefore(long stepStartNanos, long now, LoopStats loopStats) {
        if (!finished) {
            plan.abandonBefore(stepStartNanos, now, loopStats);
        }
    }

    /**
     * A search judges the window of one of its steps, phase {@code phase}, from
     * {@code fromNanos} to {@code toNanos}: adds to {@code window} the requests the slot's plan
     * put in it, and as unanswered, with their latency up to {@code now}, those of them still
     * waiting for their reply, to be sent again, or to be sent at all. Changes nothing.
     */
    void addUnresolved(int phase, long fromNanos, long toNanos, long now, PhaseTally window) {
        if (driver != null) {
            Outstanding outstanding = driver.outstanding();
            for (int i = 0; i < outstanding.size(); i++) {
                long intended = outstanding.intendedNanos(i);
                if (intended >= fromNanos && intended < toNanos) {
                    window.recordUnanswered(now, intended, outstanding.sentNanos(i));
                }
            }
        }
        plan.addUnresolved(phase, fromNanos, toNanos, now, window);
    }

    /** Where the slot stands if its connection is not up; empty when it is. */
    private Optional<NotUp> notUp() {
        if (driver != null) {
            return driver.isUp() ? Optional.empty() : Optional.of(NotUp.AWAITING_GREETING);
        }
        return Optional.of(connecting ? NotUp.CONNECTING : NotUp.WAITING_TO_RECONNECT);
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }
}
