package dev.ricochet.server.engine.blocking;

import dev.ricochet.server.config.ListenerSettings;
import dev.ricochet.server.connection.RateLimitedWarning;
import dev.ricochet.server.transport.ReusePort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One listening port and the thread that accepts on it, blocking, until it is closed. */
final class Listener {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    /** The kernel caps it at net.core.somaxconn; a burst of thousands of connects needs room. */
    private static final int ACCEPT_BACKLOG = 4096;
    private static final RateLimitedWarning acceptFailed = new RateLimitedWarning(log, 10_000_000_000L);

    private final ServerSocket server;
    private final Thread acceptor;
    private volatile boolean closing;

    /**
     * Binds at once (so that a port in use fails the start); accepting begins with {@link #start()}.
     *
     * @param onAccepted runs on the acceptor thread for every accepted socket, and owns it
     */
    Listener(ListenerSettings listeners, int port, String protocol, Consumer<Socket> onAccepted) throws IOException {
        server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            if (listeners.reusePort()) {
                ReusePort.applyTo(server);
            }
            server.bind(new InetSocketAddress(listeners.bind(), port), ACCEPT_BACKLOG);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        acceptor = Thread.ofPlatform().name("ricochet-accept-" + protocol).unstarted(() -> acceptUntilClosed(onAccepted));
    }

    void start() {
        acceptor.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptUntilClosed(Consumer<Socket> onAccepted) {
        while (!closing) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                // Out of file descriptors, most likely: the listener stays, and does not spin.
                acceptFailed.warn("Accepting a connection failed: {} ({} failure(s) since the last warning)",
                        e.toString());
                pause();
                continue;
            }
            onAccepted.accept(socket);
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting; returns once the acceptor thread has handed over its last connection. */
    void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closed is what we want.
        }
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
