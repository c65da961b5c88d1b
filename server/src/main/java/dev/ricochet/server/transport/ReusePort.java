package dev.ricochet.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;

/**
 * SO_REUSEPORT on a listener ({@code --reuse-port}): every process that binds the same address
 * and port with it gets a listener of its own, and the kernel spreads new connections over
 * them by a hash of each connection's addresses. Each transport sets it its own way; the
 * option must be set before the bind.
 */
public final class ReusePort {

    private ReusePort() {
    }

    /** Sets SO_REUSEPORT on the listener {@code bootstrap} will bind, on transport {@code kind}. */
    public static void applyTo(ServerBootstrap bootstrap, TransportKind kind) {
        switch (kind) {
            case EPOLL -> bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
            case IO_URING -> bootstrap.option(IoUringChannelOption.SO_REUSEPORT, true);
            case NIO, POLL -> bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
            case AUTO -> throw new IllegalArgumentException("kind: auto (expected: the transport chosen)");
        }
    }

    /**
     * Sets SO_REUSEPORT on a blocking listener not bound yet.
     *
     * @throws IOException when this system's sockets have no such option
     */
    public static void applyTo(ServerSocket server) throws IOException {
        if (!server.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            throw new IOException("--reuse-port: SO_REUSEPORT is not supported on this system");
        }
        server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    }
}
