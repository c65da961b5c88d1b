package dev.ricochet.server.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/** Turns the requested {@link TransportKind} into a {@link Transport} this machine can run. */
public final class TransportSelector {

    private TransportSelector() {
    }

    /**
     * @throws TransportUnavailableException when a native transport was asked for by name and
     *                                       its native library does not load here
     */
    public static Transport select(TransportKind requested) throws TransportUnavailableException {
        return switch (requested) {
            case AUTO -> Epoll.isAvailable()
                    ? epoll("auto: native epoll loaded")
                    : nio("auto: native epoll unavailable (" + Epoll.unavailabilityCause() + ")");
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new TransportUnavailableException(requested, Epoll.unavailabilityCause());
                }
                yield epoll("requested");
            }
            case IO_URING -> {
                if (!IoUring.isAvailable()) {
                    throw new TransportUnavailableException(requested, IoUring.unavailabilityCause());
                }
                yield new Transport(TransportKind.IO_URING, IoUringIoHandler.newFactory(),
                        IoUringServerSocketChannel.class, "requested");
            }
            case NIO -> nio("requested");
        };
    }

    /** Whether {@code kind} can be selected here; for tests and diagnostics. */
    public static boolean isAvailable(TransportKind kind) {
        return switch (kind) {
            case AUTO, NIO -> true;
            case EPOLL -> Epoll.isAvailable();
            case IO_URING -> IoUring.isAvailable();
        };
    }

    private static Transport epoll(String reason) {
        return new Transport(TransportKind.EPOLL, EpollIoHandler.newFactory(), EpollServerSocketChannel.class, reason);
    }

    /** NIO, whatever else is available: for the admin server (see AdminServer). */
    public static Transport nio() {
        return nio("admin");
    }

    private static Transport nio(String reason) {
        return new Transport(TransportKind.NIO, NioIoHandler.newFactory(), NioServerSocketChannel.class, reason);
    }
}
