package dev.ricochet.server.config;

import dev.ricochet.cli.Range;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.prime.PrimeMethod;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How prime requests are read and computed.
 *
 * @param method         how primality is computed ({@code --prime-method})
 * @param linger         how long a bare number waits for more bytes before it is a request
 *                       ({@code --prime-linger}; zero: only newline-terminated requests)
 * @param offloadThreads prime workers ({@code --offload-threads}); 0 computes on the event loops
 *                       (for comparisons only)
 * @param offloadQueue   prime requests that may wait for a worker before {@code error: busy}
 *                       ({@code --offload-queue})
 * @param cacheSize      prime results cached ({@code --prime-cache-size}); 0 turns the cache off
 */
public record PrimeSettings(PrimeMethod method, Duration linger, int offloadThreads, int offloadQueue,
        int cacheSize) {

    static final ServerOption<PrimeMethod> METHOD = ServerOption.choice("--prime-method", "METHOD",
            PrimeMethod.class, PrimeMethod::cliName, "trial-division",
            "trial-division (the naive loop to sqrt(n): the CPU-heavy workload) or miller-rabin (deterministic,"
                    + " microseconds).");
    static final ServerOption<Duration> LINGER = ServerOption.duration("--prime-linger",
            Range.upTo(Duration.ofSeconds(10)), "20ms",
            "How long a bare number (no newline) waits for more bytes before it counts as a request; 0s accepts"
                    + " only whole lines.");
    static final ServerOption<Integer> OFFLOAD_THREADS = ServerOption.number("--offload-threads",
            Range.between(0, 1024), ServerOption::cores, "the number of CPU cores",
            "Worker threads computing primes off the event loops. 0 computes on the event loops, which blocks them:"
                    + " for comparisons only.")
            .onlyFor(EngineKind::offloadPool, "primes are computed on the connection's own thread");
    static final ServerOption<Integer> OFFLOAD_QUEUE = ServerOption.number("--offload-queue",
            Range.between(1, 10_000_000), 10_000,
            "Prime requests that may wait for a worker; beyond, a request is answered 'error: busy' at once.")
            .onlyFor(EngineKind::offloadPool, "primes are computed on the connection's own thread");
    static final ServerOption<Integer> CACHE_SIZE = ServerOption.number("--prime-cache-size",
            Range.between(0, 100_000_000), 100_000,
            "Prime results kept in memory (least recently used evicted); 0 turns the cache off.");
    static final List<ServerOption<?>> OPTIONS = List.of(METHOD, LINGER, OFFLOAD_THREADS, OFFLOAD_QUEUE, CACHE_SIZE);

    public PrimeSettings {
        Objects.requireNonNull(method, "method");
        LINGER.require(linger);
        OFFLOAD_THREADS.require(offloadThreads);
        OFFLOAD_QUEUE.require(offloadQueue);
        CACHE_SIZE.require(cacheSize);
    }

    public PrimeSettings withMethod(PrimeMethod method) {
        return new PrimeSettings(method, linger, offloadThreads, offloadQueue, cacheSize);
    }

    public PrimeSettings withLinger(Duration linger) {
        return new PrimeSettings(method, linger, offloadThreads, offloadQueue, cacheSize);
    }

    public PrimeSettings withOffloadThreads(int offloadThreads) {
        return new PrimeSettings(method, linger, offloadThreads, offloadQueue, cacheSize);
    }

    public PrimeSettings withOffloadQueue(int offloadQueue) {
        return new PrimeSettings(method, linger, offloadThreads, offloadQueue, cacheSize);
    }

    public PrimeSettings withCacheSize(int cacheSize) {
        return new PrimeSettings(method, linger, offloadThreads, offloadQueue, cacheSize);
    }

    static PrimeSettings from(OptionValues options) {
        return new PrimeSettings(options.value(METHOD), options.value(LINGER), options.value(OFFLOAD_THREADS),
                options.value(OFFLOAD_QUEUE), options.value(CACHE_SIZE));
    }
}
