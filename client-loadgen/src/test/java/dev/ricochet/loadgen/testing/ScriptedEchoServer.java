package dev.ricochet.loadgen.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A deliberately faulty echo server for tests, on plain sockets and a thread per connection:
 * the protocol as the load generator expects it, except for one injected fault, or a ceiling on
 * the requests it serves per second ({@link #servingAtMost}).
 */
public final class ScriptedEchoServer implements AutoCloseable {

    /** What goes wrong. */
    public enum Fault {
        /** The 1000th reply byte of the server's life is off by one. */
        CORRUPT_ONE_BYTE,
        /** The first connection to reach its 200th reply stops answering for one second, once. */
        STALL_ONE_SECOND_ONCE,
        /** Accepts, reads, and never sends anything, not even the greeting. */
        SILENT,
        /**
         * The last of the first {@code connections} connections accepted is greeted
         * {@code lateMillis} after it was accepted, the others at once; counts the bytes that
         * came on any connection before that greeting was sent.
         */
        GREETS_LAST_LATE,
        /**
         * The first {@code connections} connections accepted are served until their first
         * reply bytes, then closed; later connections are never greeted.
         */
        CLOSES_THEN_GREETS_NO_MORE,
        /** None: the protocol as it should be (with {@link #servingAtMost}, only slow). */
        NONE
    }

    private final ServerSocket listener;
    private final Fault fault;
    private final int connections;
    private final long lateMillis;
    private final AtomicLong repliesSent = new AtomicLong();
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicBoolean lateGreetingSent = new AtomicBoolean();
    private final AtomicLong bytesBeforeLateGreeting = new AtomicLong();
    /** With a ceiling: nanoseconds per request, and when the server is next free to serve one; 0 without. */
    private final long serviceNanos;
    private final AtomicLong freeAt = new AtomicLong();

    public ScriptedEchoServer(Fault fault) throws IOException {
        this(fault, 0, 0);
    }

    /**
     * @param connections how many connections the fault applies to (see {@link Fault})
     * @param lateMillis  how late {@link Fault#GREETS_LAST_LATE}'s greeting comes
     */
    public ScriptedEchoServer(Fault fault, int connections, long lateMillis) throws IOException {
        this(fault, connections, lateMillis, 0);
    }

    private ScriptedEchoServer(Fault fault, int connections, long lateMillis, long serviceNanos) throws IOException {
        this.fault = fault;
        this.connections = connections;
        this.lateMillis = lateMillis;
        this.serviceNanos = serviceNanos;
        this.listener = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(this::accept);
    }

    /**
     * A correct server that serves at most {@code requestsPerSecond} requests a second over all
     * its connections, as one server with a fixed service time and one queue: each request (a
     * frame's {@code ^}) takes the next free {@code 1 / requestsPerSecond} second, in the order
     * they come, and its reply goes out at the end of it. Below that rate a request waits for
     * nothing but its own service time; above it the queue, and the latency, grow without bound.
     */
    public static ScriptedEchoServer servingAtMost(int requestsPerSecond) throws IOException {
        return new ScriptedEchoServer(Fault.NONE, 0, 0, 1_000_000_000L / requestsPerSecond);
    }

    /** Whether {@link Fault#GREETS_LAST_LATE}'s late greeting has been sent. */
    public boolean lateGreetingSent() {
        return lateGreetingSent.get();
    }

    /** Bytes received on any connection before {@link Fault#GREETS_LAST_LATE}'s late greeting was sent. */
    public long bytesBeforeLateGreeting() {
        return bytesBeforeLateGreeting.get();
    }

    public String target() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                int number = accepted.incrementAndGet();
                Thread.ofPlatform().daemon().start(() -> serve(socket, number));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** @param number the connection's place in the accept order, from 1 */
    private void serve(Socket socket, int number) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            if (fault == Fault.SILENT || fault == Fault.CLOSES_THEN_GREETS_NO_MORE && number > connections) {
                in.transferTo(OutputStream.nullOutputStream());
                return;
            }
            if (fault == Fault.GREETS_LAST_LATE && number == connections) {
                Thread.sleep(lateMillis);
                lateGreetingSent.set(true);
            }
            out.write('*');
            boolean inFrame = false;
            long mine = 0;
            byte[] buffer = new byte[8192];
            byte[] replies = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (fault == Fault.GREETS_LAST_LATE && !lateGreetingSent.get()) {
                    bytesBeforeLateGreeting.addAndGet(n);
                }
                int r = 0;
                int started = 0;
                for (int i = 0; i < n; i++) {
                    int b = buffer[i] & 0xFF;
                    if (!inFrame) {
                        inFrame = b == '^';
                        started += inFrame ? 1 : 0;
                    } else if (b == '$') {
                        inFrame = false;
                    } else {
                        int reply = (b + 1) & 0xFF;
                        if (fault == Fault.CORRUPT_ONE_BYTE && repliesSent.incrementAndGet() == 1000) {
                            reply ^= 1;
                        }
                        replies[r++] = (byte) reply;
                    }
                }
                if (fault == Fault.STALL_ONE_SECOND_ONCE && ++mine == 200 && stalled.compareAndSet(false, true)) {
                    Thread.sleep(1000);
                }
                if (serviceNanos > 0 && started > 0) {
                    serve(started);
                }
                out.write(replies, 0, r);
                if (fault == Fault.CLOSES_THEN_GREETS_NO_MORE && r > 0) {
                    return;
                }
            }
        } catch (IOException | InterruptedException ignored) {
            // the client left
        }
    }

    /** Takes the server's next {@code requests} service times, in turn with every connection, and waits for their end. */
    private void serve(int requests) {
        long now = System.nanoTime();
        long done = freeAt.accumulateAndGet(requests * serviceNanos, (free, time) -> Math.max(free, now) + time);
        for (long wait = done - System.nanoTime(); wait > 0; wait = done - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
