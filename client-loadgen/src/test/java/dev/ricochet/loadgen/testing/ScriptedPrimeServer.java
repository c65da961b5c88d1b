package dev.ricochet.loadgen.testing;

import dev.ricochet.loadgen.oracle.Primality;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A prime server for tests that misbehaves on purpose, on plain sockets and a thread per
 * connection: it answers each line with the right {@code prime} or {@code composite}, except
 * where its fault says otherwise. Faults that end a connection first wait for the requests the
 * client pipelines behind the last answer, so that the client has a known number outstanding
 * when it happens.
 */
public final class ScriptedPrimeServer implements AutoCloseable {

    /** What goes wrong. */
    public enum Fault {
        /** Each connection answers {@code answered} requests, then resets (RST) with {@code pipeline} outstanding. */
        RESET,
        /** Each connection answers {@code answered} requests, then closes (FIN) with {@code pipeline} outstanding. */
        CLOSE,
        /** Each connection answers {@code answered} requests, then reads on and answers nothing more. */
        STALL,
        /** Each connection's reply after its first {@code answered} ones comes {@code lateMillis} late. */
        LATE,
        /** Every second request of each connection is answered {@code error: busy}. */
        BUSY_EVERY_SECOND,
        /** No fault until {@link #vanish()}. */
        NONE
    }

    private final ServerSocket listener;
    private final Fault fault;
    private final int answered;
    private final int pipeline;
    private final long lateMillis;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong replies = new AtomicLong();

    /**
     * @param answered   requests each connection answers before its fault
     * @param pipeline   requests the client keeps outstanding (what RESET and CLOSE wait for)
     * @param lateMillis how late LATE's reply comes
     */
    public ScriptedPrimeServer(Fault fault, int answered, int pipeline, long lateMillis) throws IOException {
        this.fault = fault;
        this.answered = answered;
        this.pipeline = pipeline;
        this.lateMillis = lateMillis;
        this.listener = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(this::accept);
    }

    public static ScriptedPrimeServer with(Fault fault) throws IOException {
        return new ScriptedPrimeServer(fault, 0, 1, 0);
    }

    public String target() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Replies sent so far, over every connection. */
    public long replies() {
        return replies.get();
    }

    /** Goes away as a dying process would: stops listening and closes every connection. */
    public void vanish() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                sockets.add(socket);
                Thread.ofPlatform().daemon().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream()) {
            int request = 0;
            for (String line; (line = in.readLine()) != null; request++) {
                if (request >= answered && endsHere(socket, in)) {
                    return;
                }
                if (fault == Fault.LATE && request == answered) {
                    Thread.sleep(lateMillis);
                }
                boolean busy = fault == Fault.BUSY_EVERY_SECOND && request % 2 == 1;
                String reply = busy ? "error: busy\n" : Primality.isPrime(Long.parseLong(line.trim())) ? "prime\n" : "composite\n";
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                replies.incrementAndGet();
            }
        } catch (IOException | InterruptedException ignored) {
            // the client left, or the server vanished
        } finally {
            sockets.remove(socket);
        }
    }

    /** Applies a fault that ends the answering, once the request just read is unanswered; true when it did. */
    private boolean endsHere(Socket socket, BufferedReader in) throws IOException {
        switch (fault) {
            case RESET, CLOSE -> {
                // The line just read is outstanding; wait for the rest of the client's pipeline.
                for (int more = 1; more < pipeline; more++) {
                    if (in.readLine() == null) {
                        return true;
                    }
                }
                if (fault == Fault.RESET) {
                    socket.setSoLinger(true, 0); // close with RST
                }
                socket.close();
                return true;
            }
            case STALL -> {
                while (in.readLine() != null) {
                    // read on, answer nothing
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    @Override
    public void close() throws IOException {
        vanish();
    }
}
