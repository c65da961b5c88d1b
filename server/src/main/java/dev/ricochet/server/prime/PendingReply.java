package dev.ricochet.server.prime;

import dev.ricochet.server.connection.RateLimitedWarning;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import org.slf4j.LoggerFactory;

/**
 * The reply to one request, in its place in the connection's reply order: computed on a
 * worker (or at once), set and written on the connection's event loop when every earlier
 * reply has been written.
 */
final class PendingReply implements Runnable {

    private static final RateLimitedWarning failures =
            new RateLimitedWarning(LoggerFactory.getLogger(PendingReply.class), 10_000_000_000L);

    private final long number;
    private final PrimeService service;
    private final PrimeRequestHandler connection;
    // Event-loop confined: a worker's answer is handed over through EventLoop.execute().
    private PrimeReply reply;
    private Future<?> computation;
    private long submittedAt;

    PendingReply(long number, PrimeService service, PrimeRequestHandler connection) {
        this.number = number;
        this.service = service;
        this.connection = connection;
    }

    static PendingReply answered(PrimeReply reply) {
        PendingReply done = new PendingReply(0, null, null);
        done.reply = reply;
        return done;
    }

    long number() {
        return number;
    }

    PrimeReply reply() {
        return reply;
    }

    /** Sets the answer when it is known on the event loop (inline, cached, busy). */
    void complete(PrimeReply answer) {
        reply = answer;
    }

    /**
     * Starts the computation: on a worker, inline, or not at all when the pool is full.
     *
     * @return whether it went to a worker (and will come back through completeLater)
     */
    boolean start() {
        submittedAt = System.nanoTime();
        computation = service.compute(this);
        return computation != null;
    }

    /** Stops a computation nobody will read (the client has gone). */
    void cancel() {
        if (computation != null) {
            service.cancel(computation);
        }
    }

    /** Runs on an offload worker. */
    @Override
    public void run() {
        service.metrics().waited(System.nanoTime() - submittedAt);
        PrimeReply answer;
        try {
            answer = service.computeNow(number);
        } catch (CancellationException e) {
            return; // the connection closed; nobody waits for this reply
        } catch (Throwable e) {
            // Never leave a hole in the reply order: a reply that never comes would stall every
            // later reply of the connection. Errors too (a StackOverflowError, an assertion):
            // the worker survives them, and so must the connection.
            failures.warn("Prime computation of {} failed, answered 'error: internal error': {}"
                    + " ({} since the last warning)", number, e.toString());
            answer = PrimeReply.INTERNAL_ERROR;
        }
        connection.completeLater(this, answer);
    }
}
