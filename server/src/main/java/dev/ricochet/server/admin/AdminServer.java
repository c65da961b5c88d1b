package dev.ricochet.server.admin;

import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP server, on an event loop of its own so that a scrape never delays protocol
 * traffic, and up from before the listeners open until after the drain.
 */
public final class AdminServer implements AutoCloseable {

    /** Admin requests are a line and a few headers; anything larger is refused. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final EventLoopGroup group;
    private final Channel listener;

    private AdminServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    /**
     * @throws InterruptedException if interrupted while binding; a bind failure (e.g. the
     *         port is taken) is thrown as Netty reports it
     */
    public static AdminServer start(InetAddress bind, int port, Transport transport, ServerMetrics metrics,
            Readiness readiness) throws InterruptedException {
        EventLoopGroup group = transport.newEventLoopGroup(1, "ricochet-admin");
        AdminHandler handler = new AdminHandler(metrics, readiness);
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannelClass())
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                    handler);
                        }
                    })
                    .bind(bind, port).sync().channel();
            return new AdminServer(group, listener);
        } catch (Exception e) {
            // Exception, not just the declared ones: Netty throws a BindException undeclared.
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
    }
}
