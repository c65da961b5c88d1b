package dev.ricochet.loadgen.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deliberately faulty echo server for tests, on plain sockets and a thread per connection:
 * the protocol as the load generator expects it, except for one injected fault.
 */
public final class ScriptedEchoServer implements AutoCloseable {

    /** What goes wrong. */
    public enum Fault {
        /** The 1000th reply byte of the server's life is off by one. */
        CORRUPT_ONE_BYTE,
        /** The first connection to reach its 200th reply stops answering for one second, once. */
        STALL_ONE_SECOND_ONCE,
        /** Accepts, reads, and never sends anything, not even the greeting. */
        SILENT
    }

    private final ServerSocket listener;
    private final Fault fault;
    private final AtomicLong repliesSent = new AtomicLong();
    private final AtomicBoolean stalled = new AtomicBoolean();

    public ScriptedEchoServer(Fault fault) throws IOException {
        this.fault = fault;
        this.listener = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(this::accept);
    }

    public String target() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                Thread.ofPlatform().daemon().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            if (fault == Fault.SILENT) {
                in.transferTo(OutputStream.nullOutputStream());
                return;
            }
            out.write('*');
            boolean inFrame = false;
            long mine = 0;
            byte[] buffer = new byte[8192];
            byte[] replies = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                int r = 0;
                for (int i = 0; i < n; i++) {
                    int b = buffer[i] & 0xFF;
                    if (!inFrame) {
                        inFrame = b == '^';
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
                out.write(replies, 0, r);
            }
        } catch (IOException | InterruptedException ignored) {
            // the client left
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
