package dev.ricochet.server.prime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ricochet.server.metrics.PrimeMetrics;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.function.LongPredicate;

/**
 * Answers primality questions for every prime connection: from the cache when it can, on
 * the caller's event loop when the answer takes microseconds, on the offload pool otherwise
 * (or, with no pool, on the caller's thread).
 */
public final class PrimeService {

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

    /**
     * Starts computing, and returns the running task's future (to cancel it if the client
     * leaves), or null when the answer was already set: computed inline, or refused because
     * the queue is full ({@link PrimeReply#BUSY}).
     */
    Future<?> compute(PendingReply pending) {
        if (pool == null) {
            pending.complete(computeNow(pending.number()));
            return null;
        }
        Future<?> future = pool.trySubmit(pending);
        if (future == null) {
            pending.complete(PrimeReply.BUSY);
        }
        return future;
    }

    void cancel(Future<?> computation) {
        pool.cancel(computation);
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
