package dev.ricochet.server.engine.blocking;

import dev.ricochet.server.config.EngineSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.connection.ConnectionLimiter;
import dev.ricochet.server.connection.RateLimitedWarning;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.engine.EngineStats;
import dev.ricochet.server.engine.ShutdownSequence;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.metrics.CloseReason;
import dev.ricochet.server.metrics.ConnectionMetrics;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.metrics.TlsHandshakeMetrics;
import dev.ricochet.server.prime.PrimeService;
import dev.ricochet.server.tls.JsseTls;
import dev.ricochet.server.transport.TcpKeepalive;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking models of Concurrent Servers (docs/protocol.md) as engines: every connection
 * is served by one thread on blocking sockets, from greeting to close, and a
 * {@link Dispatcher} decides which thread (the one, a new one, a pooled one, a virtual one). Protocols, metrics, limits and the
 * drain are the same as the netty engine's.
 *
 * <p>TLS is JSSE's {@code SSLSocket} layered over the accepted socket ({@link JsseTls}); the
 * acceptor only layers it, and the handshake is the first thing the connection's own thread
 * does, so that a client slow to shake hands holds that thread and nobody's accept. On the
 * sequential engine that thread is the one that serves everyone in turn: a handshake is part
 * of the one connection being served, as its reads are, and the next client waits for it (at
 * most --tls-handshake-timeout), which is what serving one connection at a time means.
 */
public final class BlockingEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(BlockingEngine.class);
    private static final RateLimitedWarning threadsRefused = new RateLimitedWarning(log, 10_000_000_000L);
    private static final RateLimitedWarning unexpected = new RateLimitedWarning(log, 10_000_000_000L);
    private static final RateLimitedWarning poolFull = new RateLimitedWarning(log, 10_000_000_000L);
    /** After the grace, how long closed connections' threads get to notice and end. */
    private static final Duration THREADS_EXIT = Duration.ofSeconds(5);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ConnectionLimiter limiter;
    private final TcpKeepalive keepalive;
    private final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
    private final Object closedMonitor = new Object();
    private final Dispatcher dispatcher;
    private final Counter refusedByPool;
    private final IdleWatchdog idle;
    private final Shutdown shutdown = new Shutdown();
    private final Listener echo;
    private final Listener primeListener;
    private final String description;
    /** Null on plaintext ports. */
    private final JsseTls tls;

    private BlockingEngine(ServerConfig config, JsseTls tls, ServerMetrics metrics, PrimeService prime)
            throws IOException {
        this.tls = tls;
        EngineSettings engine = config.engine();
        EngineKind kind = engine.kind();
        this.limiter = new ConnectionLimiter(config.connections().max());
        this.keepalive = new TcpKeepalive(config.connections().tcpKeepalive());
        Duration primeLinger = config.prime().linger();
        metrics.bindConnectionLimit(config.connections().max());
        Counter refused = null;
        switch (kind) {
            case SEQUENTIAL -> dispatcher = new SequentialDispatcher();
            case THREAD_PER_CONNECTION -> dispatcher = ThreadPerConnectionDispatcher.platform();
            case VIRTUAL_THREADS -> dispatcher = ThreadPerConnectionDispatcher.virtual();
            case THREAD_POOL -> {
                ThreadPoolDispatcher pool = new ThreadPoolDispatcher(engine.threads(), engine.queue());
                refused = metrics.bindThreadPool(pool::busyThreads, pool::queued);
                dispatcher = pool;
            }
            default -> throw new IllegalArgumentException("engine: " + kind.cliName() + " (expected: a blocking one)");
        }
        this.refusedByPool = refused;
        this.description = kind.cliName() + " (" + dispatcher.description() + "), "
                + (tls == null ? "plaintext" : tls.description());
        TlsHandshakeMetrics echoHandshakes = tls == null ? null : metrics.tlsHandshakes("echo");
        TlsHandshakeMetrics primeHandshakes = tls == null ? null : metrics.tlsHandshakes("prime");
        Listener echoListener = null;
        try {
            echoListener = new Listener(config.listeners(), config.listeners().echoPort(), "echo",
                    socket -> accepted(socket, metrics.echo(), echoHandshakes,
                            () -> new EchoSession(metrics.echoFrames())));
            primeListener = new Listener(config.listeners(), config.listeners().primePort(), "prime",
                    socket -> accepted(socket, metrics.prime(), primeHandshakes,
                            () -> new PrimeSession(prime, primeLinger)));
        } catch (IOException e) {
            if (echoListener != null) {
                echoListener.close();
            }
            dispatcher.shutdown();
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
        echo = echoListener;
        idle = config.connections().idleTimeout().isZero() ? null
                : new IdleWatchdog(config.connections().idleTimeout(), connections);
        echo.start();
        primeListener.start();
    }

    /**
     * Binds both ports and starts accepting, in plaintext.
     *
     * @throws IOException when a port cannot be bound
     */
    public static BlockingEngine start(ServerConfig config, ServerMetrics metrics) throws IOException {
        return start(config, null, metrics);
    }

    /**
     * Binds both ports and starts accepting.
     *
     * @param tls the ports' TLS ({@code ServerTls.forBlockingEngine}), closed with the engine; null: plaintext
     * @throws IOException when a port cannot be bound
     */
    public static BlockingEngine start(ServerConfig config, JsseTls tls, ServerMetrics metrics) throws IOException {
        return new BlockingEngine(config, tls, metrics, new PrimeService(config.prime().method(),
                config.prime().cacheSize(), null, metrics.primeService()));
    }

    /**
     * Binds both ports and starts accepting in plaintext, answering primes with {@code prime}
     * instead of a service built from {@code config}'s prime options: for tests that control
     * how long a computation takes. No option reaches it.
     *
     * @throws IOException when a port cannot be bound
     */
    public static BlockingEngine start(ServerConfig config, ServerMetrics metrics, PrimeService prime)
            throws IOException {
        return new BlockingEngine(config, null, metrics, prime);
    }

    /**
     * On the acceptor thread: no I/O here but setting options and layering TLS, so that
     * accepting never waits on a client.
     *
     * @param handshakes the port's TLS handshakes; null on plaintext ports
     */
    private void accepted(Socket socket, ConnectionMetrics protocol, TlsHandshakeMetrics handshakes,
            Supplier<Session> session) {
        long acceptedNanos = System.nanoTime();
        BlockingConnection connection;
        boolean admitted = false;
        try {
            socket.setTcpNoDelay(true);
            keepalive.applyTo(socket);
            if (!limiter.tryAcquire()) {
                new BlockingConnection(socket, socket, Handshake.NONE, null, protocol, c -> { })
                        .close(CloseReason.LIMIT);
                return;
            }
            admitted = true;
            if (tls == null) {
                connection = new BlockingConnection(socket, socket, Handshake.NONE, session.get(), protocol,
                        this::closed);
            } else {
                SSLSocket layered = tls.layer(socket);
                connection = new BlockingConnection(socket, layered,
                        () -> tls.handshake(layered, socket, acceptedNanos, handshakes), session.get(), protocol,
                        this::closed);
            }
        } catch (IOException e) {
            connectionFailed(socket, e); // reset before it could be set up
            closeQuietly(socket);
            if (admitted) {
                limiter.release(); // no connection holds it
            }
            return;
        }
        connections.add(connection);
        if (shutdown.isDraining()) {
            connection.startDrain(); // accepted just before the listener closed: joins the drain
        }
        if (!dispatcher.dispatch(connection)) {
            boolean stopping = shutdown.phase() != ShutdownSequence.Phase.RUNNING;
            if (refusedByPool != null && !stopping) {
                refusedByPool.increment();
                poolFull.warn("Thread pool full (every worker busy, the queue full): refused {} connection(s)"
                        + " since the last warning");
            }
            connection.close(stopping ? CloseReason.DRAINED : CloseReason.LIMIT);
        }
    }

    private void closed(BlockingConnection connection) {
        connections.remove(connection);
        limiter.release();
        if (connections.isEmpty()) {
            synchronized (closedMonitor) {
                closedMonitor.notifyAll();
            }
        }
    }

    @Override
    public InetSocketAddress echoAddress() {
        return echo.address();
    }

    @Override
    public InetSocketAddress primeAddress() {
        return primeListener.address();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean isDraining() {
        return shutdown.isDraining();
    }

    /**
     * Blocking sockets keep unsent replies in the kernel, not in the process, and reading
     * simply stops while a write blocks: there is nothing to pause or to count here.
     */
    @Override
    public EngineStats stats() {
        return new EngineStats(connections.size(), 0, 0, 0, -1, 0, 0);
    }

    @Override
    public void shutdown(Duration grace) {
        shutdown.run(grace);
    }

    @Override
    public void closeAllConnections() {
        shutdown.cutShort();
    }

    /** The shutdown steps of blocking sockets: each connection's thread ends with its socket. */
    private final class Shutdown extends ShutdownSequence {

        Shutdown() {
            super(log);
        }

        @Override
        protected void closeListeners() {
            dispatcher.stopAccepting();
            echo.close();
            primeListener.close();
        }

        @Override
        protected void beginDrain() {
            for (BlockingConnection connection : connections) {
                connection.startDrain();
            }
        }

        @Override
        protected int openConnections() {
            return connections.size();
        }

        @Override
        protected int unfinishedConnections() {
            return (int) connections.stream().filter(connection -> !connection.finished()).count();
        }

        /** Woken when the last connection closes or the drain is cut short; polls besides, as a safety net. */
        @Override
        protected void awaitClose(long nanos) throws InterruptedException {
            synchronized (closedMonitor) {
                if (!connections.isEmpty()) {
                    TimeUnit.NANOSECONDS.timedWait(closedMonitor, Math.min(nanos, POLL_NANOS));
                }
            }
        }

        @Override
        protected void closeConnections() {
            for (BlockingConnection connection : connections) {
                connection.close(CloseReason.SHUTDOWN);
            }
            synchronized (closedMonitor) {
                closedMonitor.notifyAll();
            }
        }

        /** A thread blocked in a computation may take long to notice: it gets {@link #THREADS_EXIT}. */
        @Override
        protected void awaitRemainingClosed() {
            if (!awaitAllClosed(THREADS_EXIT)) {
                log.warn("{} connection thread(s) still running {} after their sockets were closed",
                        connections.size(), THREADS_EXIT);
            }
        }

        @Override
        protected void releaseThreads() {
            if (idle != null) {
                idle.close();
            }
            dispatcher.shutdown();
            if (tls != null) {
                tls.close();
            }
        }
    }

    /** A peer that resets or vanishes is ordinary (DEBUG); the rest is worth a look. */
    static void connectionFailed(Socket socket, Exception e) {
        if (e instanceof IOException || e instanceof CancellationException) {
            log.debug("Connection {} failed: {}", socket.getRemoteSocketAddress(), e.toString());
        } else {
            log.debug("Connection {} closed after an unexpected error", socket.getRemoteSocketAddress(), e);
            unexpected.warn("Connection closed after an unexpected error: {} ({} such error(s) since the last warning)",
                    e.toString());
        }
    }

    static void threadRefused(OutOfMemoryError e) {
        threadsRefused.warn("Cannot start a thread for a new connection ({}): refused {} connection(s) since the"
                + " last warning; lower the connections or raise the thread limit", e.getMessage());
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to do for it.
        }
    }
}
