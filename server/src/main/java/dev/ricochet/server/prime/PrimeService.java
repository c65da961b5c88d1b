package dev.ricochet.server.prime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ricochet.server.connection.RateLimitedWarning;
import dev.ricochet.server.metrics.PrimeMetrics;
import java.util.concurrent.CancellationException;
import java.util.function.LongPredicate;
import org.slf4j.LoggerFactory;

/**
 * Answers primality questions for every prime connection: from the cache when it can, on
 * the caller's event loop when the answer takes microseconds, on the offload pool otherwise
 * (or, with no pool, on the caller's thread).
 */
public final class PrimeService {

    private static final RateLimitedWarning failures =
            new RateLimitedWarning(LoggerFactory.getLogger(PrimeService.class), 10_000_000_000L);

    private final PrimeMethod method;
    private final LongPredicate offloaded;
    private final Cache<Long, Boolean> cache;
    private final OffloadPool pool;
    private final PrimeMetrics metrics;

    /**
     * @param method    how primality is computed
     * @param cacheSize results kept, least recently used evicted first; 0 keeps none
     * @param pool      where computations run; null computes on the calling event loop,
     *                  which blocks it: for comparisons only (see docs/operations.md)
     * @param metrics   where answers and timings are recorded
     */
    public PrimeService(PrimeMethod method, int cacheSize, OffloadPool pool, PrimeMetrics metrics) {
        this(method, method::isPrime, cacheSize, pool, metrics);
    }

    /**
     * With the computation that runs off the event loop replaced: for tests that make a worker
     * fail. Package-private, and only tests call it: no option reaches it.
     */
    PrimeService(PrimeMethod method, LongPredicate offloaded, int cacheSize, OffloadPool pool, PrimeMetrics metrics) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize: " + cacheSize + " (expected: >= 0)");
        }
        this.method = method;
        this.offloaded = offloaded;
        this.cache = cacheSize == 0 ? null : Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.pool = pool;
        this.metrics = metrics;
    }

    /**
     * How many requests of one connection may be on the offload pool at once: enough to
     * keep every worker busy for a single client, not so many that one client fills the
     * shared queue and every other one is answered busy.
     */
    int maxInFlightPerConnection() {
        return pool == null ? Integer.MAX_VALUE : 2 * pool.threads();
    }

    /** The cached answer, or null when {@code n} has to be computed. */
    PrimeReply cached(long n) {
        if (cache == null) {
            return null;
        }
        Boolean prime = cache.getIfPresent(n);
        return prime == null ? null : PrimeReply.of(prime);
    }

    /**
     * The answer when it takes a few microseconds at most (see {@link PrimeMethod#settleQuickly}),
     * computed here on the caller's event loop: handing such a request to a worker and its
     * answer back costs more than computing it. Null when the request needs a worker. Quick
     * answers are not cached: the cache keeps room for those that are expensive to recompute.
     */
    PrimeReply quickAnswer(long n) {
        long started = System.nanoTime();
        Boolean prime = method.settleQuickly(n);
        if (prime == null) {
            return null;
        }
        metrics.computed(System.nanoTime() - started);
        return PrimeReply.of(prime);
    }

    /**
     * For engines that compute on the connection's own thread: the answer when it is cached
     * or takes microseconds, null when {@link #computeNow} has to work for it.
     */
    public PrimeReply answerWithoutWork(long n) {
        PrimeReply reply = cached(n);
        return reply != null ? reply : quickAnswer(n);
    }

    /** Whether requests that take time go to workers; false: they are computed on the event loop. */
    boolean offloads() {
        return pool != null;
    }

    /** A lane of the offload pool for one connection's requests; only when {@link #offloads()}. */
    OffloadPool.Lane newLane(OffloadPool.Work work) {
        return pool.newLane(work);
    }

    /** Queues a request for a worker; false when the queue is full: the reply is {@link PrimeReply#BUSY}. */
    boolean trySubmit(OffloadPool.Lane lane, long n, int seq) {
        return pool.trySubmit(lane, n, seq);
    }

    /** About how long computing {@code n} takes, in nanoseconds (see {@link PrimeMethod#costEstimateNanos}). */
    long costEstimateNanos(long n) {
        return method.costEstimateNanos(n);
    }

    /** Drops a closed connection's waiting requests and interrupts its running ones. */
    void close(OffloadPool.Lane lane) {
        pool.close(lane);
    }

    /**
     * Runs on a worker: the reply, or null when the connection closed and the computation was
     * interrupted. A computation that fails is answered {@link PrimeReply#INTERNAL_ERROR}:
     * never a hole in the reply order, which would stall every later reply of the connection.
     * Errors too (a StackOverflowError, an assertion): the worker survives them, and so must
     * the connection.
     */
    PrimeReply computeOffloaded(long n, long waitedNanos) {
        metrics.waited(waitedNanos);
        try {
            return computeNow(n);
        } catch (CancellationException e) {
            return null;
        } catch (Throwable e) {
            failures.warn("Prime computation of {} failed, answered 'error: internal error': {}"
                    + " ({} since the last warning)", n, e.toString());
            return PrimeReply.INTERNAL_ERROR;
        }
    }

    /**
     * Runs on a worker (or inline).
     *
     * @throws CancellationException when interrupted because the client left
     */
    public PrimeReply computeNow(long n) {
        long started = System.nanoTime();
        boolean prime = offloaded.test(n);
        metrics.computed(System.nanoTime() - started);
        if (cache != null) {
            cache.put(n, prime);
        }
        return PrimeReply.of(prime);
    }

    PrimeMetrics metrics() {
        return metrics;
    }

    /** Counts a reply as it leaves, by what it says. */
    public void countReply(PrimeReply reply) {
        switch (reply) {
            case PRIME -> metrics.answeredPrime();
            case COMPOSITE -> metrics.answeredComposite();
            case BUSY -> metrics.answeredBusy();
            default -> metrics.answeredError();
        }
    }
}
