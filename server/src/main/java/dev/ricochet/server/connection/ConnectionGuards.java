package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.ConnectionMetrics;
import dev.ricochet.server.metrics.ProxyProtocolMetrics;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;

/**
 * The handlers every protocol's pipeline starts with, in their one right order: tracking for
 * the drain, then {@link ConnectionGuard} (metrics, connection limit, back-pressure), the
 * idle timeout, with {@code --proxy-protocol} the PROXY header's decoder and reader, and then
 * the port's {@link PortSecurity} (TLS, or the plaintext port's check), before the protocol's
 * own handlers. The protocol's last handler closes the connection on errors, with
 * {@link ConnectionErrors}.
 *
 * <p>The guard comes first so that a connection still waiting for its PROXY header or its TLS
 * handshake counts against {@code --max-connections} (a flood of silent connections cannot get
 * around the limit) and one over the limit is closed before a handshake is spent on it; so on
 * a TLS port its byte counts are the wire's, records included. The PROXY header comes before
 * TLS, since a proxy sends it ahead of everything its client sends.
 */
public final class ConnectionGuards {

    private final Drain drain;
    private final BackPressure backPressure;
    private final ConnectionGuard guard;
    private final long idleTimeoutNanos;
    /** Null when connections start with the protocol itself, without a PROXY header. */
    private final ProxyHeaders proxyHeaders;

    /** What a connection needs to read its PROXY header. */
    private record ProxyHeaders(ProxyProtocolMetrics metrics, Duration timeout) {
    }

    /**
     * @param drain           every accepted connection joins it, so that shutdown can drain it
     * @param metrics         this protocol's connection meters
     * @param limiter         the limit shared by every protocol
     * @param idleTimeout     close after this long without traffic; zero for never
     */
    public ConnectionGuards(Drain drain, ConnectionMetrics metrics, ConnectionLimiter limiter, Duration idleTimeout) {
        this.drain = drain;
        this.backPressure = new BackPressure(metrics);
        this.guard = new ConnectionGuard(metrics, limiter, backPressure);
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.proxyHeaders = null;
    }

    private ConnectionGuards(ConnectionGuards guards, ProxyHeaders proxyHeaders) {
        this.drain = guards.drain;
        this.backPressure = guards.backPressure;
        this.guard = guards.guard;
        this.idleTimeoutNanos = guards.idleTimeoutNanos;
        this.proxyHeaders = proxyHeaders;
    }

    /**
     * The same guards, for connections that start with a PROXY protocol header
     * ({@code --proxy-protocol}).
     *
     * @param metrics counts the connections refused for their header
     * @param timeout how long a connection may take to send its whole header
     */
    public ConnectionGuards expectingProxyHeaders(ProxyProtocolMetrics metrics, Duration timeout) {
        return new ConnectionGuards(this, new ProxyHeaders(metrics, timeout));
    }

    /** Adds the handlers that go before the protocol's own, the port's {@code security} last. */
    public void addFront(ChannelPipeline pipeline, PortSecurity security) {
        drain.track(pipeline.channel());
        pipeline.addLast(guard);
        if (idleTimeoutNanos > 0) {
            pipeline.addLast(new IdleConnectionCloser(idleTimeoutNanos));
        }
        if (proxyHeaders != null) {
            ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
            pipeline.addLast(decoder, new ProxyHeaderReader(decoder, proxyHeaders.metrics(), proxyHeaders.timeout()));
        }
        security.addTo(pipeline);
    }

    public BackPressure backPressure() {
        return backPressure;
    }
}
