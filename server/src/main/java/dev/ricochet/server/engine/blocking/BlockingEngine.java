package dev.ricochet.server.engine.blocking;

import dev.ricochet.server.config.EngineSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.connection.ConnectionLimiter;
import dev.ricochet.server.connection.RateLimitedWarning;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.engine.EngineStats;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.metrics.CloseReason;
import dev.ricochet.server.metrics.ConnectionMetrics;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.prime.PrimeService;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The series' blocking models as engines: every connection is served by one thread on
 * blocking sockets, from greeting to close, and a {@link Dispatcher} decides which thread
 * (the one, a new one, a pooled one, a virtual one). Protocols, metrics, limits and the
 * drain are the same as the netty engine's.
 */
public final class BlockingEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(BlockingEngine.class);
    private static final RateLimitedWarning threadsRefused = new RateLimitedWarning(log, 10_000_000_000L);
    private static final RateLimitedWarning unexpected = new RateLimitedWarning(log, 10_000_000_000L);
    private static final RateLimitedWarning poolFull = new RateLimitedWarning(log, 10_000_000_000L);
    /** After the grace, how long closed connections' threads get to notice and end. */
    private static final Duration THREADS_EXIT = Duration.ofSeconds(5);

    private final ConnectionLimiter limiter;
    private final TcpKeepalive keepalive;
    private final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
    private final Object closedMonitor = new Object();
    private final Dispatcher dispatcher;
    private final Counter refusedByPool;
    private final IdleWatchdog idle;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile boolean draining;
    private volatile boolean cutShort;
    private final Listener echo;
    private final Listener primeListener;

    private BlockingEngine(ServerConfig config, ServerMetrics metrics, PrimeService prime) throws IOException {
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
        Listener echoListener = null;
        try {
            echoListener = new Listener(config.listeners().bind(), config.listeners().echoPort(), "echo",
                    socket -> accepted(socket, metrics.echo(), () -> new EchoSession(metrics.echoFrames())));
            primeListener = new Listener(config.listeners().bind(), config.listeners().primePort(), "prime",
                    socket -> accepted(socket, metrics.prime(), () -> new PrimeSession(prime, primeLinger)));
        } catch (IOException e) {
            if (echoListener != null) {
                echoListener.close();
            }
            dispatcher.shutdown();
            throw e;
        }
        echo = echoListener;
        idle = config.connections().idleTimeout().isZero() ? null
                : new IdleWatchdog(config.connections().idleTimeout(), connections);
        echo.start();
        primeListener.start();
    }

    /**
     * Binds both ports and starts accepting.
     *
     * @throws IOException when a port cannot be bound
     */
    public static BlockingEngine start(ServerConfig config, ServerMetrics metrics) throws IOException {
        return start(config, metrics, new PrimeService(config.prime().method(), config.prime().cacheSize(), null,
                metrics.primeService()));
    }

    /**
     * Binds both ports and starts accepting, answering primes with {@code prime} instead of a
     * service built from {@code config}'s prime options: for tests that control how long a
     * computation takes. No option reaches it.
     *
     * @throws IOException when a port cannot be bound
     */
    public static BlockingEngine start(ServerConfig config, ServerMetrics metrics, PrimeService prime)
            throws IOException {
        return new BlockingEngine(config, metrics, prime);
    }

    private void accepted(Socket socket, ConnectionMetrics protocol, Supplier<Session> session) {
        BlockingConnection connection;
        try {
            socket.setTcpNoDelay(true);
            keepalive.applyTo(socket);
            if (!limiter.tryAcquire()) {
                new BlockingConnection(socket, null, protocol, c -> { }).close(CloseReason.LIMIT);
                return;
            }
            connection = new BlockingConnection(socket, session.get(), protocol, this::closed);
        } catch (IOException e) {
            connectionFailed(socket, e); // reset before it could be set up
            closeQuietly(socket);
            return;
        }
        connections.add(connection);
        if (draining) {
            connection.startDrain(); // accepted just before the listener closed: joins the drain
        }
        if (!dispatcher.dispatch(connection)) {
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
    public boolean isDraining() {
        return draining;
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
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        dispatcher.stopAccepting();
        echo.close();
        primeListener.close();
        draining = true;
        log.info("Draining: no longer accepting; {} open connection(s) finish what they owe"
                + " (echo: the frame under way, prime: every reply), for up to {}", connections.size(), grace);
        for (BlockingConnection connection : connections) {
            connection.startDrain();
        }
        if (!awaitConnectionsClosed(grace)) {
            closeRemaining(cutShort ? "Drain cut short" : "Shutdown grace of " + grace + " is over");
            if (!awaitConnectionsClosed(THREADS_EXIT)) {
                log.warn("{} connection thread(s) still running {} after their sockets were closed",
                        connections.size(), THREADS_EXIT);
            }
        }
        if (idle != null) {
            idle.close();
        }
        dispatcher.shutdown();
        log.info("Stopped");
    }

    @Override
    public void closeAllConnections() {
        cutShort = true;
        closeRemaining("Drain cut short");
        synchronized (closedMonitor) {
            closedMonitor.notifyAll();
        }
    }

    private void closeRemaining(String why) {
        int open = connections.size();
        int finished = (int) connections.stream().filter(BlockingConnection::finished).count();
        log.info("{}: closing {} connection(s): {} still owing replies or mid-frame (reason=shutdown), {} finished"
                + " and waiting for their client to close (reason=drained)", why, open, open - finished, finished);
        for (BlockingConnection connection : connections) {
            connection.close(CloseReason.SHUTDOWN);
        }
    }

    private boolean awaitConnectionsClosed(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (closedMonitor) {
            while (!connections.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || cutShort) {
                    return connections.isEmpty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(closedMonitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
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
