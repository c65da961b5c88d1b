package dev.ricochet.server.kind;

/**
 * The concurrency models the server can run ({@code --engine}): those of Concurrent Servers
 * (docs/protocol.md). Every one serves the same protocol core; they differ only in how
 * connections meet threads.
 * In a package of its own, below every package that names an engine: {@code config} parses
 * it, {@code metrics} labels every meter with it, {@code engine} runs it.
 */
public enum EngineKind {
    /** Netty event loops (one: the single reactor; more: the multi-reactor) with a prime worker pool. */
    NETTY("netty"),
    /** One connection at a time on one thread: the baseline that shows why concurrency matters. */
    SEQUENTIAL("sequential"),
    /** A platform thread per connection, blocking sockets. */
    THREAD_PER_CONNECTION("thread-per-connection"),
    /** A fixed pool of platform threads and a bounded queue of accepted connections. */
    THREAD_POOL("thread-pool"),
    /** A virtual thread per connection, blocking sockets (the JDK's answer to the event loop). */
    VIRTUAL_THREADS("virtual-threads");

    private final String cliName;

    EngineKind(String cliName) {
        this.cliName = cliName;
    }

    /** The name {@code --engine} takes, and the {@code engine} label of every metric. */
    public String cliName() {
        return cliName;
    }

    /** Whether it serves connections on event loops: {@code --transport} and {@code --io-threads} apply. */
    public boolean eventLoops() {
        return this == NETTY;
    }

    /**
     * Whether primes are computed on a pool of offload workers ({@code --offload-threads},
     * {@code --offload-queue}) rather than on the connection's own thread.
     */
    public boolean offloadPool() {
        return this == NETTY;
    }

    /** Whether a fixed pool of workers serves the connections: {@code --threads} and {@code --pool-queue} apply. */
    public boolean threadPool() {
        return this == THREAD_POOL;
    }
}
