package dev.ricochet.server.tls;

import dev.ricochet.server.metrics.TlsHandshakeMetrics;
import dev.ricochet.server.metrics.TlsHandshakeMetrics.Result;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for the engines on blocking sockets, on the JDK's JSSE: an accepted socket is layered
 * with an {@link SSLSocket} of the certificate served at that moment, and its handshake runs
 * later, on the thread that serves the connection, never on the acceptor's: a client that
 * never finishes its handshake holds its own thread, not everyone's accept.
 *
 * <p>The handshake is bounded as a whole by --tls-handshake-timeout, as the netty engine's
 * is: a read timeout would bound each read only, and a client sending its ClientHello a byte
 * at a time would hold the thread for ever. At the deadline one timer thread closes the
 * accepted socket, which fails the blocked handshake; a connection that finishes in time only
 * cancels its task. Each handshake is counted by how it ended ({@link HandshakeOutcome}, the
 * same words as the netty engine's).
 */
public final class JsseTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JsseTls.class);

    private static final int PENDING = 0;
    private static final int FINISHED = 1;
    private static final int TIMED_OUT = 2;

    private final Supplier<TlsMaterial> material;
    private final boolean clientAuth;
    private final long timeoutNanos;
    private final String description;
    private final ScheduledThreadPoolExecutor deadlines;
    /** The socket factory of the certificate served last: rebuilt when a rotation swaps the material. */
    private volatile Sockets sockets;
    /** A rotated certificate JSSE refused (never seen: it was parsed and checked): warned once. */
    private volatile TlsMaterial refused;

    private record Sockets(TlsMaterial material, SSLSocketFactory factory) {
    }

    /**
     * Builds the first socket factory now, so that a certificate JSSE refuses is told at startup.
     *
     * @param material the certificate served now, asked again at every accept (it rotates)
     * @param timeout  --tls-handshake-timeout
     */
    JsseTls(Supplier<TlsMaterial> material, boolean clientAuth, Duration timeout, String description)
            throws TlsSetupException {
        this.material = material;
        this.clientAuth = clientAuth;
        this.timeoutNanos = timeout.toNanos();
        this.description = description;
        TlsMaterial first = material.get();
        try {
            sockets = new Sockets(first, first.jsseContext().getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("--tls-cert and --tls-key are refused by the JDK's JSSE: " + e.getMessage(), e);
        }
        deadlines = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("ricochet-tls-handshake-deadline").daemon().factory());
        deadlines.setRemoveOnCancelPolicy(true); // a finished handshake's task leaves the queue at once
    }

    /** For the engine's description: {@code TLS JDK JSSE sockets, client certificates required}. */
    public String description() {
        return description;
    }

    /**
     * Layers TLS over an accepted socket, server side, without any I/O (cheap enough for the
     * acceptor thread): the handshake is {@link #handshake}'s, on the connection's thread.
     * Closing the returned socket closes {@code accepted}.
     */
    public SSLSocket layer(Socket accepted) throws IOException {
        SSLSocket socket = (SSLSocket) factory().createSocket(accepted, null, true);
        socket.setUseClientMode(false);
        socket.setNeedClientAuth(clientAuth);
        return socket;
    }

    /**
     * Runs the handshake on the calling thread, bounded by the handshake timeout from now,
     * and counts it.
     *
     * @param accepted      the socket under {@code socket}, closed at the deadline
     * @param acceptedNanos when the connection was accepted: the duration counts from there, as netty's does
     * @return how it ended: {@link Result#SUCCESS}, or why the connection must close
     */
    public Result handshake(SSLSocket socket, Socket accepted, long acceptedNanos, TlsHandshakeMetrics metrics) {
        AtomicInteger state = new AtomicInteger(PENDING);
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            if (state.compareAndSet(PENDING, TIMED_OUT)) {
                closeQuietly(accepted); // the plain socket: an SSLSocket's close would wait on the handshake's locks
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        try {
            socket.startHandshake();
            if (state.compareAndSet(PENDING, FINISHED)) {
                deadline.cancel(false);
                metrics.succeeded(System.nanoTime() - acceptedNanos);
                return Result.SUCCESS;
            }
            metrics.ended(Result.TIMEOUT); // finished as the deadline closed it: closed all the same
            return Result.TIMEOUT;
        } catch (IOException e) {
            Result result = state.compareAndSet(PENDING, FINISHED) ? HandshakeOutcome.of(e) : Result.TIMEOUT;
            deadline.cancel(false);
            metrics.ended(result);
            if (log.isDebugEnabled()) {
                log.debug("TLS handshake with {} ended {}: {}", accepted.getRemoteSocketAddress(), result.label(),
                        e.toString());
            }
            return result;
        }
    }

    private SSLSocketFactory factory() throws IOException {
        TlsMaterial now = material.get();
        Sockets last = sockets;
        if (last.material() == now || refused == now) {
            return last.factory();
        }
        // A rotation: the first accept after it builds the new factory (a few milliseconds, once).
        try {
            Sockets next = new Sockets(now, now.jsseContext().getSocketFactory());
            sockets = next;
            return next.factory();
        } catch (GeneralSecurityException e) {
            refused = now;
            log.warn("The rotated TLS certificate {} is refused by the JDK's JSSE, still serving {}: {}",
                    now.subject(), last.material().subject(), e.toString());
            return last.factory();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closed is what we want.
        }
    }

    /** Stops the deadline timer: once the engine's connections are closed. */
    @Override
    public void close() {
        deadlines.shutdownNow();
    }
}
