package dev.ricochet.server.engine.blocking;

import dev.ricochet.server.connection.OrderlyClose;
import dev.ricochet.server.connection.TlsRecordStart;
import dev.ricochet.server.metrics.CloseReason;
import dev.ricochet.server.metrics.ConnectionMetrics;
import dev.ricochet.server.metrics.TlsHandshakeMetrics.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client on a blocking socket, served from start to end by one thread running its
 * protocol's {@link Session}. Its I/O goes through here, so that traffic is counted, idle
 * time is known, and a drain or a shutdown can reach a thread blocked in a read.
 *
 * <p>The drain handshake: before each read the session says whether it owes anything
 * ({@link #mayRead}). A connection that owes nothing and is blocked in a read is finished by
 * the draining thread itself (FIN); one that is busy finishes at its next boundary.
 *
 * <p>Idle time: the connection is idle only while its thread waits on the client, blocked in
 * a read or a write, counted from the start of that wait. While the thread works for the
 * client between two of them (a prime computation, however long) the connection is owed
 * something and is not idle. A TLS handshake is a wait on the client too.
 *
 * <p>TLS: the connection speaks through an {@code SSLSocket} layered over the accepted one,
 * after a {@link Handshake} on its own thread. Another thread that closes it (a drain's end,
 * the idle watchdog) closes the accepted socket: an {@code SSLSocket}'s close sends a
 * close_notify and waits for the lock of a write that may be blocked on a client that does not
 * read. A plaintext port looks at the first two bytes a client sends, and closes a client
 * that opens with a TLS ClientHello ({@link TlsRecordStart}), counted as the netty engine's.
 */
final class BlockingConnection implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(BlockingConnection.class);
    private static final int DISCARD_BYTES = 4 * 1024;

    private static final int BUSY = 0;
    private static final int WAITING_AT_BOUNDARY = 1;
    private static final int FINISHED_BY_DRAIN = 2;
    /** In its TLS handshake: owed nothing yet, not even the greeting, so a drain closes it at once. */
    private static final int HANDSHAKING = 3;

    /** The stray-TLS check of a plaintext port: the first byte not seen yet, the first seen and 0x16, or done. */
    private static final int FIRST_BYTE = 0;
    private static final int SECOND_BYTE = 1;
    private static final int CHECKED = 2;

    /** What was accepted: closed from other threads. */
    private final Socket accepted;
    /** What the protocol speaks through: {@link #accepted}, or the TLS socket layered over it. */
    private final Socket socket;
    private final Handshake handshake;
    private final Session session;
    private final ConnectionMetrics metrics;
    private final Consumer<BlockingConnection> onClosed;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicInteger phase = new AtomicInteger(BUSY);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean accounted = new AtomicBoolean();
    private final AtomicReference<CloseReason> reason = new AtomicReference<>();
    private volatile boolean draining;
    /** When the connection last began waiting on its client (or was accepted). */
    private volatile long waitingSinceNanos = System.nanoTime();
    /** Whether its thread works for the client (between two reads or writes): owed something, not idle. */
    private volatile boolean working;
    private volatile Thread thread;
    /** Only the serving thread's. */
    private int strayTlsCheck;

    /**
     * @param accepted  the socket accepted
     * @param socket    {@code accepted}, or a TLS socket layered over it
     * @param handshake what the serving thread does first: {@link Handshake#NONE} when {@code socket} is
     *                  {@code accepted}, whose first bytes are then checked for a stray TLS client
     * @param onClosed  runs once when the connection is closed and counted, whatever closed it
     */
    BlockingConnection(Socket accepted, Socket socket, Handshake handshake, Session session,
            ConnectionMetrics metrics, Consumer<BlockingConnection> onClosed)
            throws IOException {
        this.accepted = accepted;
        this.socket = socket;
        this.handshake = handshake;
        this.strayTlsCheck = socket == accepted ? FIRST_BYTE : CHECKED;
        this.session = session;
        this.metrics = metrics;
        this.onClosed = onClosed;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        metrics.opened();
    }

    /** Serves the connection on the calling thread until it closes. */
    @Override
    public void run() {
        if (!started.compareAndSet(false, true)) {
            return; // closed while it waited for a thread
        }
        thread = Thread.currentThread();
        try {
            phase.set(HANDSHAKING);
            if (draining && phase.compareAndSet(HANDSHAKING, BUSY)) {
                mark(CloseReason.DRAINED); // the drain began as the thread took the connection
                return;
            }
            Result shaken = handshake.run();
            if (!phase.compareAndSet(HANDSHAKING, BUSY)) {
                return; // the drain closed it mid-handshake (startDrain), marked DRAINED
            }
            if (shaken != Result.SUCCESS) {
                if (shaken != Result.CLOSED) {
                    mark(CloseReason.HANDSHAKE); // counted by result in ricochet_tls_handshakes_total
                }
                return;
            }
            if (draining) {
                // The drain began during the handshake: nothing owed yet, not even the greeting.
                finish(CloseReason.DRAINED);
                return;
            }
            session.serve(this);
        } catch (IOException | RuntimeException e) {
            // A reset, a closed socket (idle, shutdown) or a bug: the reason marked first wins.
            mark(CloseReason.ERROR);
            BlockingEngine.connectionFailed(socket, e);
        } finally {
            thread = null;
            Thread.interrupted(); // an interrupt meant for this connection must not reach the next one
            closeAndCount();
        }
    }

    /** Reads what the client sent; -1 when it closed its side. */
    int read(byte[] buffer) throws IOException {
        int n;
        waitForClient();
        try {
            n = in.read(buffer);
        } finally {
            working = true;
        }
        if (n > 0) {
            metrics.received(n);
            if (strayTlsCheck != CHECKED) {
                refuseStrayTls(buffer, n);
            }
        }
        return n;
    }

    /**
     * A plaintext port's check of the client's first two bytes, over one read or two: a TLS
     * ClientHello is closed, marked {@link CloseReason#UNEXPECTED_TLS}. A first byte 0x16 read
     * alone reaches the session before the second tells (both protocols ignore or hold it).
     */
    private void refuseStrayTls(byte[] buffer, int n) throws IOException {
        int second = 0;
        if (strayTlsCheck == FIRST_BYTE) {
            if ((buffer[0] & 0xff) != TlsRecordStart.HANDSHAKE_RECORD) {
                strayTlsCheck = CHECKED;
                return;
            }
            strayTlsCheck = SECOND_BYTE;
            if (n == 1) {
                return;
            }
            second = 1;
        }
        strayTlsCheck = CHECKED;
        if ((buffer[second] & 0xff) == TlsRecordStart.TLS_MAJOR_VERSION) {
            mark(CloseReason.UNEXPECTED_TLS);
            throw new IOException("a TLS ClientHello on a plaintext port");
        }
    }

    /**
     * Writes, blocking until the kernel took every byte: the back-pressure of this model. A
     * write blocked for the idle timeout counts as silence: the client took nothing.
     */
    void write(byte[] bytes, int offset, int length) throws IOException {
        waitForClient();
        try {
            out.write(bytes, offset, length);
        } finally {
            working = true;
        }
        metrics.sent(length);
    }

    /** The idle clock starts: from here the connection waits on its client. */
    private void waitForClient() {
        waitingSinceNanos = System.nanoTime();
        working = false; // after the time: the watchdog never sees this wait with an older one's start
    }

    /** How long the next reads may wait before {@link SocketTimeoutException}; 0 for ever. */
    void readTimeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /**
     * Called before each read.
     *
     * @param owesNothing whether every byte read so far is answered and the protocol is at a
     *                    point where the connection may end (echo: between frames)
     * @return false when a drain has begun and the connection owes nothing: {@link #finish} it
     */
    boolean mayRead(boolean owesNothing) {
        if (!owesNothing) {
            phase.set(BUSY);
            return true;
        }
        if (draining) {
            return false;
        }
        phase.set(WAITING_AT_BOUNDARY);
        // A drain that began between the check and the set may have missed us: take it back.
        return !(draining && phase.compareAndSet(WAITING_AT_BOUNDARY, BUSY));
    }

    /**
     * Called when a read returns (or times out). False when the drain finished the connection
     * while it waited: what was read is not answered, {@link #finish} follows.
     */
    boolean stillServing() {
        return phase.get() == BUSY || phase.compareAndSet(WAITING_AT_BOUNDARY, BUSY);
    }

    boolean draining() {
        return draining;
    }

    /**
     * The one way to end a connection whose every reply is written (a drain, a prime line too
     * long): FIN, then whatever the client still sends is read and discarded until it closes
     * its side, has sent nothing for {@link OrderlyClose#LINGER_SILENCE}, or
     * {@link OrderlyClose#LINGER_LIMIT} has passed (the bounds netty's connections linger
     * with too); then the session returns and the socket is closed. Closing at once would answer
     * the client's unread bytes with a reset, and a reset destroys the replies still in the
     * server's send buffer (and, on some clients' systems, those received but not yet read).
     *
     * @param why counted when the connection closes, unless an earlier reason is marked
     */
    void finish(CloseReason why) throws IOException {
        mark(why);
        shutdownOutput();
        byte[] sink = new byte[DISCARD_BYTES];
        long deadline = System.nanoTime() + OrderlyClose.LINGER_LIMIT.toNanos();
        try {
            for (long left = OrderlyClose.LINGER_LIMIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                long wait = Math.min(OrderlyClose.LINGER_SILENCE.toNanos(), left);
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                if (read(sink) < 0) {
                    return; // the client closed its side: every byte it sent was read
                }
            }
            log.debug("Connection {} still sending {} after the FIN: closed", socket.getRemoteSocketAddress(),
                    OrderlyClose.LINGER_LIMIT);
        } catch (SocketTimeoutException e) {
            log.debug("Connection {} silent {} after the FIN: closed", socket.getRemoteSocketAddress(),
                    OrderlyClose.LINGER_SILENCE);
        }
    }

    /** The drain has begun: finish now if blocked in a read owing nothing, else at the next boundary. */
    void startDrain() {
        draining = true;
        if (started.compareAndSet(false, true)) {
            // Accepted but never served (waiting for a thread): never greeted, owed nothing.
            mark(CloseReason.DRAINED);
            closeAndCount();
            return;
        }
        if (phase.compareAndSet(HANDSHAKING, FINISHED_BY_DRAIN)) {
            // Owed nothing: closed now, rather than after the handshake it waits for (its thread
            // sees its socket closed, counted as a handshake ended closed).
            mark(CloseReason.DRAINED);
            closeQuietly(accepted);
            return;
        }
        if (phase.compareAndSet(WAITING_AT_BOUNDARY, FINISHED_BY_DRAIN)) {
            mark(CloseReason.DRAINED);
            try {
                shutdownOutput();
            } catch (IOException e) {
                // Already closed by its client: its thread sees that in its read.
            }
        }
    }

    /** FIN, once: the drain's thread and the connection's own may both ask for it. */
    private void shutdownOutput() throws IOException {
        try {
            if (!socket.isOutputShutdown()) {
                socket.shutdownOutput();
            }
        } catch (SocketException e) {
            if (!socket.isOutputShutdown()) {
                throw e;
            }
        }
    }

    /** Whether the connection was finished by a drain and only waits for its client to close. */
    boolean finished() {
        return reason.get() == CloseReason.DRAINED;
    }

    /**
     * How long the connection has been waiting on its client, at {@code nowNanos}: 0 while its
     * thread works for the client, so that a connection owed a reply is never idle. Counted
     * from its accept until its thread first reads or writes (queued for a thread, as before).
     */
    long silentNanos(long nowNanos) {
        return working ? 0 : nowNanos - waitingSinceNanos;
    }

    /**
     * Closes the connection from another thread: its serving thread, blocked in a read or a
     * write, fails out of it (and out of a prime computation, by interrupt). One that no
     * thread serves yet (waiting for one, or refused on accept) is closed and counted here.
     */
    void close(CloseReason why) {
        mark(why);
        if (started.compareAndSet(false, true)) {
            closeAndCount(); // never served: no thread will count it
            return;
        }
        closeQuietly(accepted); // not a TLS socket's close: it could wait on a blocked write
        Thread serving = thread;
        if (serving != null) {
            serving.interrupt();
        }
    }

    private void mark(CloseReason why) {
        reason.compareAndSet(null, why);
    }

    private void closeAndCount() {
        // A TLS socket's close writes a close_notify, which may block on a client that reads
        // nothing: the idle clock runs meanwhile, and the watchdog's close ends it.
        waitForClient();
        closeQuietly(socket);
        if (accounted.compareAndSet(false, true)) {
            CloseReason why = reason.get();
            metrics.closed(why != null ? why : CloseReason.CLIENT);
            onClosed.accept(this);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to do for it.
        }
    }
}
