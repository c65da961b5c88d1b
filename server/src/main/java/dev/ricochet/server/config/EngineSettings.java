package dev.ricochet.server.config;

import dev.ricochet.server.kind.EngineKind;
import java.util.Objects;

/**
 * Which concurrency model serves the connections, and the sizes only the thread pool has.
 *
 * @param kind    the engine ({@code --engine})
 * @param threads thread-pool workers ({@code --threads}), 1 to 100,000; a worker serves one
 *                connection from its accept to its close
 * @param queue   accepted connections that may wait for a thread-pool worker
 *                ({@code --pool-queue}), 0 to 1,000,000; one more is closed at once and counted
 *                in {@code ricochet_thread_pool_refused_total}
 */
public record EngineSettings(EngineKind kind, int threads, int queue) {

    /** Tomcat's defaults (maxThreads, acceptCount): what a user of a thread-pool server expects. */
    public static final int DEFAULT_THREADS = 200;
    public static final int DEFAULT_QUEUE = 100;

    public EngineSettings {
        Objects.requireNonNull(kind, "kind");
        if (threads < 1 || threads > 100_000) {
            throw new IllegalArgumentException("--threads: " + threads + " (expected: 1..100000)");
        }
        if (queue < 0 || queue > 1_000_000) {
            throw new IllegalArgumentException("--pool-queue: " + queue + " (expected: 0..1000000)");
        }
    }

    /** The engine with the thread pool's defaults (which only the thread pool uses). */
    public static EngineSettings of(EngineKind kind) {
        return new EngineSettings(kind, DEFAULT_THREADS, DEFAULT_QUEUE);
    }
}
