package dev.ricochet.server.engine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** A running server: one implementation per concurrency model, all on the same protocol core. */
public interface Engine extends AutoCloseable {

    /** The address the echo listener is bound to (with the real port when 0 was asked for). */
    InetSocketAddress echoAddress();

    /** The address the prime listener is bound to. */
    InetSocketAddress primeAddress();

    /**
     * The engine and what it runs on (transport, threads), for the "Listening" line: for
     * example {@code sequential (one connection at a time)}.
     */
    String description();

    /** What the operator should know about the settings it runs with: logged once, at start. */
    default List<String> startupWarnings() {
        return List.of();
    }

    /** Whether the drain has begun: the listeners are closed and every connection is told to finish. */
    boolean isDraining();

    /** A point-in-time view of the server's connections and buffers. */
    EngineStats stats();

    /**
     * Stops accepting, waits up to {@code grace} for open connections to finish, closes the
     * rest and releases every thread. Returns when the engine is fully stopped; calling it
     * again does nothing.
     */
    void shutdown(Duration grace);

    /** Closes every open connection now; a shutdown under way then completes at once. */
    void closeAllConnections();

    /** Shuts down without waiting for connections. */
    @Override
    default void close() {
        shutdown(Duration.ZERO);
    }
}
