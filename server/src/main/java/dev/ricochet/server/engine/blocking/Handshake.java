package dev.ricochet.server.engine.blocking;

import dev.ricochet.server.metrics.TlsHandshakeMetrics.Result;

/**
 * What a connection's thread does before its protocol begins: on a TLS port, the handshake
 * (bounded and counted by {@code tls.JsseTls}); on a plaintext port, nothing.
 */
@FunctionalInterface
interface Handshake {

    /** A plaintext port's: nothing to do. */
    Handshake NONE = () -> Result.SUCCESS;

    /** Runs on the connection's own thread, never the acceptor's; {@link Result#SUCCESS} lets the protocol begin. */
    Result run();
}
