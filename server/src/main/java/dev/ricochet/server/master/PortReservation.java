package dev.ricochet.server.master;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * A port the master holds for its workers: a TCP socket bound with SO_REUSEPORT and never
 * listening. Only listening sockets receive connections, so the master accepts none of them
 * and holds no connection of a worker; but while it is bound, no program without SO_REUSEPORT
 * can take the port, whether all workers are down or one is being replaced. Port 0 is
 * resolved here once, so that every worker, and every replacement, binds the same port.
 *
 * <p>Without SO_REUSEADDR on purpose: two sockets that both set it may share a port when
 * neither listens, which would let any ordinary program bind over the reservation.
 */
final class PortReservation implements AutoCloseable {

    private final SocketChannel socket;
    private final int port;

    private PortReservation(SocketChannel socket, int port) {
        this.socket = socket;
        this.port = port;
    }

    /**
     * Binds {@code address:port} (0: any free port) without listening.
     *
     * @throws IOException when the port is taken by a socket without SO_REUSEPORT (Address
     *                     already in use), or this system has no SO_REUSEPORT
     */
    static PortReservation hold(InetAddress address, int port) throws IOException {
        SocketChannel socket = SocketChannel.open();
        try {
            if (!socket.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                throw new IOException("--processes: SO_REUSEPORT is not supported on this system");
            }
            socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            socket.bind(new InetSocketAddress(address, port));
            return new PortReservation(socket, ((InetSocketAddress) socket.getLocalAddress()).getPort());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Released either way.
        }
    }
}
