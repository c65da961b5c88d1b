package dev.ricochet.server.connection;

import io.netty.channel.ChannelPipeline;

/**
 * What a port puts at the front of each connection's pipeline for its security: an
 * {@code SslHandler} on a TLS port, a check for a stray TLS client on a plaintext one. It goes
 * before the protocol's handlers, so that they see plaintext, and after the connection's
 * guards and a PROXY protocol header's decoder ({@link ConnectionGuards}): the limit applies
 * before a handshake is spent, and a proxy's header comes ahead of the client's TLS.
 */
@FunctionalInterface
public interface PortSecurity {

    /** Nothing: for the admin port without --admin-tls, whose clients speak HTTP. */
    PortSecurity NONE = pipeline -> { };

    /**
     * A plaintext protocol port: a client that opens with a TLS ClientHello is closed and counted
     * ({@link UnexpectedTlsDetector}).
     */
    PortSecurity PLAINTEXT = pipeline -> pipeline.addLast(UnexpectedTlsDetector.NAME, UnexpectedTlsDetector.INSTANCE);

    /** Adds this port's handlers at the end of {@code pipeline}, which is empty or holds what goes before them. */
    void addTo(ChannelPipeline pipeline);
}
