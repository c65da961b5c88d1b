package dev.ricochet.server.admin;

import dev.ricochet.server.metrics.MetricsPage;
import dev.ricochet.server.connection.PortSecurity;
import dev.ricochet.server.transport.ReusePort;
import dev.ricochet.server.transport.Transport;
import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.server.transport.TransportSelector;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP server, on an NIO event loop of its own so that a scrape never delays protocol
 * traffic, and up from before the listeners open until after the drain.
 */
public final class AdminServer implements AutoCloseable {

    /** Admin requests are a line and a few headers, with no body; a larger one is refused. */
    private static final int MAX_CONTENT_BYTES = 16 * 1024;
    /** The decoder's default, which 431 reports if it is the first limit a request passes. */
    private static final int MAX_INITIAL_LINE_BYTES = 4096;

    /**
     * Not the protocols' pooled allocator: under memory pressure (slow readers, a low
     * -XX:MaxDirectMemorySize) that one can be exhausted, and its free chunks stay with the I/O
     * threads, so a probe could not even be read and Kubernetes would restart a server that is
     * only shedding connections. Netty counts its direct memory apart from the JDK's (and
     * the native transports read only into direct buffers), so the admin server runs on NIO
     * with heap buffers: the JDK copies them through its own small direct buffers, which
     * Netty's exhaustion does not touch. A probe or a scrape costs nothing more this way.
     */
    private static final ByteBufAllocator ALLOCATOR = new HeapAllocator();

    private final EventLoopGroup group;
    private final MetricsScraper scraper;
    private final Channel listener;

    private AdminServer(EventLoopGroup group, Channel listener, MetricsScraper scraper) {
        this.group = group;
        this.scraper = scraper;
        this.listener = listener;
    }

    /** Plain HTTP; as the other {@code start}. */
    public static AdminServer start(InetAddress bind, int port, MetricsPage metrics, Readiness readiness)
            throws InterruptedException {
        return start(bind, port, PortSecurity.NONE, metrics, readiness, AdminLimits.DEFAULT, false);
    }

    /**
     * @param security HTTPS ({@code ServerTls.forAdmin}), or nothing for plain HTTP
     * @throws InterruptedException if interrupted while binding; a bind failure (e.g. the
     *         port is taken) is thrown as Netty reports it
     */
    public static AdminServer start(InetAddress bind, int port, PortSecurity security, MetricsPage metrics,
            Readiness readiness) throws InterruptedException {
        return start(bind, port, security, metrics, readiness, AdminLimits.DEFAULT, false);
    }

    /**
     * A worker's admin server ({@code --processes}), plain HTTP, bound with SO_REUSEPORT: the master
     * holds its port bound (never listening) so that no other program takes it between a worker's
     * death and its replacement, and a socket can only share a port both ends bind that way.
     */
    public static AdminServer startForWorker(InetAddress bind, int port, MetricsPage metrics, Readiness readiness)
            throws InterruptedException {
        return start(bind, port, PortSecurity.NONE, metrics, readiness, AdminLimits.DEFAULT, true);
    }

    /** With limits of its own: for tests, which cannot wait for the default timeout. */
    static AdminServer start(InetAddress bind, int port, MetricsPage metrics, Readiness readiness,
            AdminLimits limits) throws InterruptedException {
        return start(bind, port, PortSecurity.NONE, metrics, readiness, limits, false);
    }

    private static AdminServer start(InetAddress bind, int port, PortSecurity security, MetricsPage metrics,
            Readiness readiness, AdminLimits limits, boolean reusePort) throws InterruptedException {
        Transport transport = TransportSelector.nio();
        // One thread: AdminConnectionLimit relies on every admin connection sharing it.
        EventLoopGroup group = transport.newEventLoopGroup(1, "ricochet-admin");
        AdminWarnings warnings = new AdminWarnings();
        MetricsScraper scraper = new MetricsScraper(metrics);
        AdminConnectionLimit limit = new AdminConnectionLimit(limits.maxConnections(), warnings);
        long timeoutNanos = limits.requestTimeout().toNanos();
        try {
            ServerBootstrap bootstrap = new ServerBootstrap();
            if (reusePort) {
                ReusePort.applyTo(bootstrap, TransportKind.NIO);
            }
            Channel listener = bootstrap
                    .group(group)
                    .channelFactory(transport.serverChannels())
                    .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            security.addTo(ch.pipeline());
                            ch.pipeline().addLast(limit,
                                    new HttpServerCodec(new HttpDecoderConfig()
                                            .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                                            .setMaxHeaderSize(limits.maxHeaderBytes())),
                                    new AdminRequestAggregator(MAX_CONTENT_BYTES, warnings),
                                    new AdminRequestDeadline(timeoutNanos, warnings),
                                    new AdminHandler(metrics, readiness, warnings, scraper));
                        }
                    })
                    .bind(bind, port).sync().channel();
            return new AdminServer(group, listener, scraper);
        } catch (Exception e) {
            // Exception, not just the declared ones: Netty throws a BindException undeclared.
            scraper.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        scraper.close();
    }
}
