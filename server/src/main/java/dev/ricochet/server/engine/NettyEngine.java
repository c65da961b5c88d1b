package dev.ricochet.server.engine;

import dev.ricochet.server.config.ListenerSettings;
import dev.ricochet.server.config.ProxyProtocolSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.connection.ConnectionGuards;
import dev.ricochet.server.connection.ConnectionLimiter;
import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.metrics.CloseReason;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.echo.EchoChannelInitializer;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.prime.OffloadPool;
import dev.ricochet.server.prime.PrimeChannelInitializer;
import dev.ricochet.server.prime.PrimeService;
import dev.ricochet.server.tls.ServerTls;
import dev.ricochet.server.transport.ReusePort;
import dev.ricochet.server.transport.TcpKeepalive;
import dev.ricochet.server.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production engine: Netty event loops on the chosen transport serve both protocols;
 * prime computations run on the offload pool.
 */
public final class NettyEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(NettyEngine.class);

    /** Replies a connection may have in flight before it stops being read (per connection). */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    /**
     * Netty's default read sizing for stream channels, one instance shared by every
     * connection: left unset, each connection's config holds an instance of its own (each
     * connection's sizing state lives in a handle of its own either way).
     * Up to 16 reads per wakeup, as Netty's per-channel default gives (the constructor gives 1).
     */
    static final RecvByteBufAllocator READ_SIZING = new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(16);
    /**
     * Prime reads are at most 8 KiB (Netty's default goes to 64): hundreds of requests, as
     * many as a pipelining client keeps the workers busy with, and all that a backlogged
     * connection holds unread in its decoder (see PrimeRequestDecoder).
     */
    static final RecvByteBufAllocator PRIME_READ_SIZING =
            new AdaptiveRecvByteBufAllocator(64, 2048, 8192).maxMessagesPerRead(16);
    /** The kernel caps it at net.core.somaxconn; a burst of thousands of connects needs room. */
    private static final int ACCEPT_BACKLOG = 4096;

    private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final Drain drain = new Drain(connections);
    private final ConnectionGuards echoGuards;
    private final ConnectionGuards primeGuards;
    private final Shutdown shutdown = new Shutdown();
    private final OffloadPool offload;
    private final Channel echoListener;
    private final Channel primeListener;
    private final String description;

    private NettyEngine(ServerConfig config, Transport transport, ServerTls tls, ServerMetrics metrics)
            throws InterruptedException {
        acceptor = transport.newEventLoopGroup(1, "ricochet-accept");
        workers = transport.newEventLoopGroup(config.eventLoops().threads(), "ricochet-io");
        offload = config.prime().offloadThreads() == 0 ? null
                : new OffloadPool(config.prime().offloadThreads(), config.prime().offloadQueue());
        description = EngineKind.NETTY.cliName() + " on transport " + transport.kind().cliName()
                + " (" + transport.reason() + "), " + config.eventLoops().threads() + " I/O thread(s), "
                + config.prime().offloadThreads() + " offload thread(s), " + tls.description()
                + (config.listeners().proxyProtocol().enabled() ? ", PROXY protocol header expected (timeout "
                        + config.listeners().proxyProtocol().headerTimeout() + ")" : "");
        ConnectionLimiter limiter = new ConnectionLimiter(config.connections().max());
        ConnectionGuards echoFront = new ConnectionGuards(drain, metrics.echo(), limiter,
                config.connections().idleTimeout());
        ConnectionGuards primeFront = new ConnectionGuards(drain, metrics.prime(), limiter,
                config.connections().idleTimeout());
        ProxyProtocolSettings proxy = config.listeners().proxyProtocol();
        if (proxy.enabled()) {
            echoFront = echoFront.expectingProxyHeaders(metrics.proxyProtocol("echo"), proxy.headerTimeout());
            primeFront = primeFront.expectingProxyHeaders(metrics.proxyProtocol("prime"), proxy.headerTimeout());
        }
        echoGuards = echoFront;
        primeGuards = primeFront;
        PrimeService prime = new PrimeService(config.prime().method(), config.prime().cacheSize(), offload,
                metrics.primeService());
        metrics.bindEngine(workers, allocator, config.connections().max(),
                () -> offload == null ? 0 : offload.waiting(), config.prime().offloadQueue());
        Channel echo = null;
        try {
            TcpKeepalive keepalive = new TcpKeepalive(config.connections().tcpKeepalive());
            ListenerSettings listeners = config.listeners();
            echo = listen(transport, listeners, listeners.echoPort(), keepalive, READ_SIZING,
                    new EchoChannelInitializer(tls.forProtocol("echo", metrics), echoGuards, metrics.echoFrames()));
            primeListener = listen(transport, listeners, listeners.primePort(), keepalive, PRIME_READ_SIZING,
                    new PrimeChannelInitializer(tls.forProtocol("prime", metrics), primeGuards, prime,
                            config.prime().linger()));
            echoListener = echo;
        } catch (Exception e) {
            // Exception, not just the declared ones: Netty throws a BindException undeclared.
            if (echo != null) {
                echo.close().syncUninterruptibly();
            }
            releaseThreads();
            throw e;
        }
    }

    /** Both protocols share the event loops, the connection options and the drain. */
    private Channel listen(Transport transport, ListenerSettings listeners, int port, TcpKeepalive keepalive,
            RecvByteBufAllocator readSizing, ChannelHandler initializer) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channelFactory(transport.serverChannels())
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, readSizing)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Half-close is part of both protocols: the client shuts its output and
                // still reads what the server owes it.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(initializer);
        keepalive.applyTo(bootstrap, transport.kind());
        if (listeners.reusePort()) {
            ReusePort.applyTo(bootstrap, transport.kind());
        }
        return bootstrap.bind(listeners.bind(), port)
                .sync()
                .channel();
    }

    /**
     * Binds the listeners and starts serving.
     *
     * @param tls the ports' TLS, loaded from {@code config.tls()}, or plaintext; the caller
     *            closes it (the admin port may share it)
     * @throws io.netty.channel.ChannelException or a {@link java.net.BindException} (thrown
     *         as is by Netty) when the address cannot be bound
     */
    public static NettyEngine start(ServerConfig config, Transport transport, ServerTls tls, ServerMetrics metrics)
            throws InterruptedException {
        return new NettyEngine(config, transport, tls, metrics);
    }

    @Override
    public InetSocketAddress echoAddress() {
        return (InetSocketAddress) echoListener.localAddress();
    }

    @Override
    public InetSocketAddress primeAddress() {
        return (InetSocketAddress) primeListener.localAddress();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> startupWarnings() {
        if (offload != null) {
            return List.of();
        }
        return List.of("--offload-threads 0: prime requests are computed on the event loops and block them;"
                + " use this only to compare against the offloaded setup");
    }

    @Override
    public boolean isDraining() {
        return shutdown.isDraining();
    }

    @Override
    public EngineStats stats() {
        int open = 0;
        int paused = 0;
        long pending = 0;
        for (Channel ch : connections) {
            open++;
            if (!ch.config().isAutoRead()) {
                paused++;
            }
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            if (out != null) {
                pending += out.totalPendingWriteBytes();
            }
        }
        long pauses = echoGuards.backPressure().pauses() + primeGuards.backPressure().pauses();
        return new EngineStats(open, paused, pauses, pending, allocatorUsedBytes(),
                offload == null ? 0 : offload.waiting(), offload == null ? 0 : offload.running());
    }

    private long allocatorUsedBytes() {
        if (allocator instanceof ByteBufAllocatorMetricProvider provider) {
            return provider.metric().usedHeapMemory() + provider.metric().usedDirectMemory();
        }
        return -1;
    }

    @Override
    public void shutdown(Duration grace) {
        shutdown.run(grace);
    }

    @Override
    public void closeAllConnections() {
        shutdown.cutShort();
    }

    private void releaseThreads() {
        if (offload != null) {
            offload.shutdownNow();
        }
        Future<?> a = acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        Future<?> w = workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        a.awaitUninterruptibly();
        w.awaitUninterruptibly();
    }

    /** The shutdown steps of event loops: the connections are a channel group, the threads loop groups. */
    private final class Shutdown extends ShutdownSequence {

        Shutdown() {
            super(log);
        }

        @Override
        protected void closeListeners() {
            echoListener.close().syncUninterruptibly();
            primeListener.close().syncUninterruptibly();
            awaitRegistrations();
        }

        /**
         * A connection accepted just before its listener closed joins the drain in a registration
         * task already queued on a worker loop: a task queued behind it on every loop runs after it,
         * so once they all ran, every accepted connection is in the group (or told on joining).
         */
        private void awaitRegistrations() {
            for (EventExecutor loop : workers) {
                loop.submit(() -> { }).awaitUninterruptibly();
            }
        }

        @Override
        protected void beginDrain() {
            drain.start();
        }

        @Override
        protected int openConnections() {
            return connections.size();
        }

        @Override
        protected int unfinishedConnections() {
            return drain.unfinished();
        }

        @Override
        protected void awaitClose(long nanos) {
            connections.newCloseFuture().awaitUninterruptibly(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        protected void closeConnections() {
            for (Channel ch : connections) {
                CloseReason.SHUTDOWN.markOn(ch);
            }
            connections.close();
        }

        /** Each channel closes on its event loop, which still runs: no bound of its own, unlike threads. */
        @Override
        protected void awaitRemainingClosed() {
            connections.newCloseFuture().awaitUninterruptibly();
        }

        @Override
        protected void releaseThreads() {
            NettyEngine.this.releaseThreads();
        }
    }
}
