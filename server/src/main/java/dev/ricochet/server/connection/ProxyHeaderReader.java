package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import dev.ricochet.server.metrics.ProxyHeaderRefusal;
import dev.ricochet.server.metrics.ProxyProtocolMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol.AddressFamily;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after {@link ProxyHeaderDecoder}: waits for the connection's PROXY protocol header,
 * keeps the client's address it carries ({@link ClientAddress}), then lets the protocol begin
 * and leaves the pipeline. Until then the protocol does not know the connection is open: the
 * echo greeting {@code *} goes only to a client that came through the proxy.
 *
 * <p>A connection is refused (closed, nothing sent, counted by {@link ProxyHeaderRefusal}) when
 * its first bytes are no valid header, when the whole header does not arrive within the
 * timeout, or when the client closes or half-closes in the middle of it. One that closes
 * before sending any byte is not counted: a load balancer's TCP health check does just that.
 * A {@code LOCAL} header (the proxy's own health check) is accepted and keeps the socket's
 * address, as does a header whose addresses are not IP (UNIX sockets, UNKNOWN).
 *
 * <p>Event-loop confined, one per connection.
 */
final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ProxyHeaderReader.class);

    /** Where the connection is: not open yet, waiting for its header, or done with it (read or refused). */
    private enum Phase { NOT_ACTIVE, WAITING, DONE }

    private final ProxyHeaderDecoder decoder;
    private final ProxyProtocolMetrics metrics;
    private final Duration timeout;
    private Phase phase = Phase.NOT_ACTIVE;
    private ScheduledFuture<?> deadline;

    /**
     * @param decoder the decoder in front of this reader, which tells whether a header began
     * @param metrics counts the refusals
     * @param timeout how long the whole header may take, from the connection's accept
     */
    ProxyHeaderReader(ProxyHeaderDecoder decoder, ProxyProtocolMetrics metrics, Duration timeout) {
        this.decoder = decoder;
        this.metrics = metrics;
        this.timeout = timeout;
    }

    /**
     * Held back from the protocol until the header is read. A connection the limit turned
     * away never gets here: {@link ConnectionGuard} closed it without passing this on.
     */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        phase = Phase.WAITING;
        deadline = ctx.executor().schedule(() -> refuse(ctx, ProxyHeaderRefusal.TIMEOUT, CloseReason.IDLE,
                "no whole PROXY protocol header within " + timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            accept(ctx, header);
        } finally {
            header.release();
        }
    }

    private void accept(ChannelHandlerContext ctx, HAProxyMessage header) {
        if (phase != Phase.WAITING) {
            return;
        }
        phase = Phase.DONE;
        deadline.cancel(false);
        InetSocketAddress source = source(header);
        if (source != null) {
            ClientAddress.setProxied(ctx.channel(), source);
        }
        if (log.isDebugEnabled()) {
            log.debug("Connection {} through proxy {}: PROXY protocol {} {} header", ClientAddress.of(ctx.channel()),
                    ctx.channel().remoteAddress(), header.protocolVersion(), header.command());
        }
        // The protocol begins (the echo greeting), then the bytes that followed the header
        // reach it: the decoder passes them on when it leaves the pipeline, after this returns.
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    /** The client's address a {@code PROXY} command carries over TCP/IP; null for LOCAL and other families. */
    private static InetSocketAddress source(HAProxyMessage header) {
        AddressFamily family = header.proxiedProtocol().addressFamily();
        if (header.command() != HAProxyCommand.PROXY
                || (family != AddressFamily.AF_IPv4 && family != AddressFamily.AF_IPv6)) {
            return null;
        }
        // The decoder checked the literal; this parses it without a name lookup.
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new InetSocketAddress(address, header.sourcePort());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (phase == Phase.WAITING && cause instanceof HAProxyProtocolException) {
            // A client that did not come through the proxy, or a proxy that speaks another
            // version: refused quietly, not an error of the server's (no WARN).
            refuse(ctx, ProxyHeaderRefusal.INVALID, CloseReason.ERROR, cause.getMessage());
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (phase == Phase.WAITING && event instanceof ChannelInputShutdownEvent) {
            // Half-closed before the header was whole: it never will be.
            ended(ctx);
            ctx.close();
            return;
        }
        if (phase == Phase.WAITING && event == Drain.STARTED) {
            // The protocol has not begun, so nothing is owed: the connection is finished.
            phase = Phase.DONE;
            deadline.cancel(false);
            CloseReason.DRAINED.markOn(ctx.channel());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (phase == Phase.WAITING) {
            ended(ctx);
        }
        ctx.fireChannelInactive();
    }

    /** The client closed (or half-closed) while the header was awaited: counted when part of one had come. */
    private void ended(ChannelHandlerContext ctx) {
        phase = Phase.DONE;
        deadline.cancel(false);
        if (decoder.started()) {
            metrics.refused(ProxyHeaderRefusal.CLOSED);
            log.debug("Connection {} refused: closed in the middle of its PROXY protocol header",
                    ctx.channel().remoteAddress());
        }
    }

    private void refuse(ChannelHandlerContext ctx, ProxyHeaderRefusal reason, CloseReason closeReason, String why) {
        if (phase != Phase.WAITING) {
            return;
        }
        phase = Phase.DONE;
        deadline.cancel(false);
        metrics.refused(reason);
        log.debug("Connection {} refused: {}", ctx.channel().remoteAddress(), why);
        closeReason.markOn(ctx.channel());
        ctx.close();
    }
}
