package dev.ricochet.server.tls;

import dev.ricochet.server.connection.ClientAddress;
import dev.ricochet.server.connection.PortSecurity;
import dev.ricochet.server.metrics.CloseReason;
import dev.ricochet.server.metrics.TlsHandshakeMetrics;
import dev.ricochet.server.metrics.TlsHandshakeMetrics.Result;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS port: each new connection gets an {@code SslHandler} of the context served at the
 * moment it is accepted (so a rotated certificate applies to new connections only), with the
 * handshake timeout, and its handshake counted by how it ended; a client that half-closes, or a
 * drain, before the handshake finishes closes it at once ({@link HandshakePending}).
 */
final class TlsPort implements PortSecurity {

    private static final Logger log = LoggerFactory.getLogger(TlsPort.class);

    private final Supplier<SslContext> context;
    private final long handshakeTimeoutMillis;
    private final TlsHandshakeMetrics metrics;

    TlsPort(Supplier<SslContext> context, long handshakeTimeoutMillis, TlsHandshakeMetrics metrics) {
        this.context = context;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.metrics = metrics;
    }

    @Override
    public void addTo(ChannelPipeline pipeline) {
        Channel channel = pipeline.channel();
        SslHandler ssl = context.get().newHandler(channel.alloc());
        ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        long accepted = System.nanoTime();
        // The listener runs on the event loop as the handshake ends, before SslHandler closes a
        // failed connection: the close is counted under its reason.
        ssl.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                metrics.succeeded(System.nanoTime() - accepted);
                return;
            }
            Result result = HandshakeOutcome.of(done.cause());
            metrics.ended(result);
            if (result != Result.CLOSED) {
                CloseReason.HANDSHAKE.markOn(channel);
            }
            if (log.isDebugEnabled()) {
                log.debug("TLS handshake with {} ended {}: {}", ClientAddress.of(channel), result.label(),
                        done.cause().toString());
            }
        });
        pipeline.addLast("tls", ssl);
        pipeline.addLast(HandshakePending.NAME, new HandshakePending(ssl));
    }
}
