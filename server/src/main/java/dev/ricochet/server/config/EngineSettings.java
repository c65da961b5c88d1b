package dev.ricochet.server.config;

import dev.ricochet.cli.Range;
import dev.ricochet.server.kind.EngineKind;
import java.util.List;
import java.util.Objects;

/**
 * Which concurrency model serves the connections, and the sizes only the thread pool has.
 *
 * @param kind    the engine ({@code --engine})
 * @param threads thread-pool workers ({@code --threads}); a worker serves one connection from
 *                its accept to its close
 * @param queue   accepted connections that may wait for a thread-pool worker
 *                ({@code --pool-queue}); one more is closed at once and counted in
 *                {@code ricochet_thread_pool_refused_total}
 */
public record EngineSettings(EngineKind kind, int threads, int queue) {

    static final ServerOption<EngineKind> KIND = ServerOption.choice("--engine", "KIND", EngineKind.class,
            EngineKind::cliName, "netty",
            "The concurrency model: netty (event loops and a prime worker pool), sequential (one connection at a"
                    + " time), thread-per-connection, thread-pool (--threads, --pool-queue) or virtual-threads; the"
                    + " blocking ones exist to compare (docs/engines.md).");
    /** Tomcat's defaults (maxThreads, acceptCount): what a user of a thread-pool server expects. */
    static final ServerOption<Integer> THREADS = ServerOption.number("--threads", Range.between(1, 100_000), 200,
            "thread-pool engine: worker threads, each serving one connection until it closes.")
            .onlyFor(EngineKind::threadPool, "only the thread-pool engine has a pool");
    static final ServerOption<Integer> QUEUE = ServerOption.number("--pool-queue", Range.between(0, 1_000_000), 100,
            "thread-pool engine: accepted connections that may wait for a free worker; one more is closed at once"
                    + " and counted (ricochet_thread_pool_refused_total).")
            .onlyFor(EngineKind::threadPool, "only the thread-pool engine has a pool");
    static final List<ServerOption<?>> OPTIONS = List.of(KIND, THREADS, QUEUE);

    public EngineSettings {
        Objects.requireNonNull(kind, "kind");
        THREADS.require(threads);
        QUEUE.require(queue);
    }

    /** The engine with the thread pool's defaults (which only the thread pool uses). */
    public static EngineSettings of(EngineKind kind) {
        return new EngineSettings(kind, THREADS.byDefault(), QUEUE.byDefault());
    }

    static EngineSettings from(OptionValues options) {
        return new EngineSettings(options.value(KIND), options.value(THREADS), options.value(QUEUE));
    }
}
