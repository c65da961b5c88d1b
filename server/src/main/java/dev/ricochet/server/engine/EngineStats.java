package dev.ricochet.server.engine;

/**
 * A snapshot of what the server holds for its clients.
 *
 * @param openConnections      connections accepted and not yet closed
 * @param pausedConnections    connections whose reading is paused by back-pressure right now
 * @param backPressurePauses   how many times reading was paused since start
 * @param pendingOutboundBytes reply bytes written but not yet taken by the kernel, all
 *                             connections together
 * @param allocatorUsedBytes   heap and direct memory held by the server's buffer allocator
 *                             (-1 when the allocator does not report it)
 * @param offloadWaiting       prime requests waiting for a worker
 * @param offloadRunning       prime computations running now
 */
public record EngineStats(
        int openConnections,
        int pausedConnections,
        long backPressurePauses,
        long pendingOutboundBytes,
        long allocatorUsedBytes,
        int offloadWaiting,
        int offloadRunning) {
}
