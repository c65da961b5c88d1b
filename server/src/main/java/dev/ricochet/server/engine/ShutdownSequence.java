package dev.ricochet.server.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * How every engine stops, in one order and with one set of log lines: close the listeners,
 * tell every connection to finish what it owes, wait out the grace, close the rest, release
 * the threads. An engine fills in the steps (a small subclass of its own, as Netty's
 * {@code IdleStateHandler} has one task per idle kind); the order, the {@link Phase}s and what
 * is logged live here only.
 *
 * <p>A second signal ({@link #cutShort()}) closes every connection at once, in any phase, and
 * a drain under way stops waiting for the grace.
 */
public abstract class ShutdownSequence {

    /** Where the engine is in its stop; each phase begins when the one before has ended. */
    public enum Phase {
        /** Serving. */
        RUNNING,
        /** The listeners are closing: a connection still being accepted is turned away. */
        CLOSING_LISTENERS,
        /** Nothing more is accepted; every connection is told to finish, then given the grace. */
        DRAINING,
        /** The grace is over, or the drain was cut short: what is left is closed. */
        CLOSING_REMAINING,
        /** Every connection is closed and every thread released. */
        STOPPED
    }

    private final Logger log;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.RUNNING);
    private volatile boolean cutShort;

    /** @param log the engine's own logger, which the lifecycle lines have always been logged to */
    protected ShutdownSequence(Logger log) {
        this.log = log;
    }

    /**
     * Runs the sequence once; returns when the engine is fully stopped. A second call, or
     * one while the first is under way, returns at once.
     *
     * @param grace how long connections get to finish what they owe
     */
    public final void run(Duration grace) {
        if (!phase.compareAndSet(Phase.RUNNING, Phase.CLOSING_LISTENERS)) {
            return;
        }
        closeListeners();
        phase.set(Phase.DRAINING);
        log.info("Draining: no longer accepting; {} open connection(s) finish what they owe"
                + " (echo: the frame under way, prime: every reply), for up to {}", openConnections(), grace);
        beginDrain();
        if (!awaitGrace(grace)) {
            phase.set(Phase.CLOSING_REMAINING);
            if (cutShort) {
                // cutShort() has said so and closed what was open: this only closes a connection
                // that joined the drain since, without saying it all again.
                closeConnections();
            } else {
                closeRemaining("Shutdown grace of " + grace + " is over");
            }
            awaitRemainingClosed();
        }
        releaseThreads();
        phase.set(Phase.STOPPED);
        log.info("Stopped");
    }

    /** Closes every open connection now, in any phase; a drain under way then ends at once. */
    public final void cutShort() {
        // Counted and closed before the drain is told: told first, it may close them itself,
        // and this would report none.
        closeRemaining("Drain cut short");
        cutShort = true;
    }

    public final Phase phase() {
        return phase.get();
    }

    /** Whether the drain has begun: the listeners are closed and every connection is told to finish. */
    public final boolean isDraining() {
        return phase.get().compareTo(Phase.DRAINING) >= 0;
    }

    private void closeRemaining(String why) {
        int open = openConnections();
        int unfinished = unfinishedConnections();
        log.info("{}: closing {} connection(s): {} still owing replies or mid-frame (reason=shutdown), {} finished"
                + " and waiting for their client to close (reason=drained)", why, open, unfinished, open - unfinished);
        closeConnections();
    }

    /** Waits out the grace until every connection has finished; gives up at once when the drain is cut short. */
    private boolean awaitGrace(Duration grace) {
        return awaitAllClosed(grace, true);
    }

    /**
     * Waits until no connection is open, at most {@code limit}, even when the drain was cut
     * short (closed connections still take their threads a moment to end).
     *
     * @return whether every connection closed
     */
    protected final boolean awaitAllClosed(Duration limit) {
        return awaitAllClosed(limit, false);
    }

    /**
     * Connections accepted just before the listeners closed may still join while it waits: it
     * counts until none is left, rather than waiting on those it saw.
     */
    private boolean awaitAllClosed(Duration limit, boolean untilCutShort) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (openConnections() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || (untilCutShort && cutShort)) {
                return false;
            }
            try {
                awaitClose(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Stops accepting; returns once no connection can be accepted any more. */
    protected abstract void closeListeners();

    /** Tells every open connection to finish what it owes, then close. */
    protected abstract void beginDrain();

    /** Connections accepted and not yet closed. */
    protected abstract int openConnections();

    /** Open connections that still owe replies or are mid-frame (not finished by the drain). */
    protected abstract int unfinishedConnections();

    /**
     * Waits until a connection closes or {@code nanos} have passed, whichever is first; may
     * return earlier (the sequence looks again).
     */
    protected abstract void awaitClose(long nanos) throws InterruptedException;

    /** Closes every open connection now, each counted as closed by shutdown unless finished. */
    protected abstract void closeConnections();

    /** Waits for the connections just closed to be gone (how long is the engine's to say). */
    protected abstract void awaitRemainingClosed();

    /** Ends every thread the engine started; connections are closed by then. */
    protected abstract void releaseThreads();
}
