package dev.ricochet.server.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** Turns the requested {@link TransportKind} into a {@link Transport} this machine can run. */
public final class TransportSelector {

    private TransportSelector() {
    }

    /**
     * @throws TransportUnavailableException when a transport was asked for by name and does
     *                                       not load here: a native one's library, or the
     *                                       JDK's poll selector
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
                        IoUringServerSocketChannel::new, "requested");
            }
            case NIO -> nio("requested");
            case POLL -> poll(PollSelector.provider());
        };
    }

    /** Whether {@code kind} can be selected here; for tests and diagnostics. */
    public static boolean isAvailable(TransportKind kind) {
        return switch (kind) {
            case AUTO, NIO -> true;
            case EPOLL -> Epoll.isAvailable();
            case IO_URING -> IoUring.isAvailable();
            case POLL -> {
                try {
                    PollSelector.provider();
                    yield true;
                } catch (TransportUnavailableException e) {
                    yield false;
                }
            }
        };
    }

    private static Transport epoll(String reason) {
        return new Transport(TransportKind.EPOLL, EpollIoHandler.newFactory(), EpollServerSocketChannel::new, reason);
    }

    /** NIO, whatever else is available: for the admin server (see AdminServer). */
    public static Transport nio() {
        return nio("admin");
    }

    private static Transport nio(String reason) {
        return new Transport(TransportKind.NIO, NioIoHandler.newFactory(), NioServerSocketChannel::new, reason);
    }

    /**
     * NIO with the poll selector for the event loops' waits and for the listening channels, so
     * that the connections they accept are the poll provider's too: nothing of this transport
     * touches the JVM's default selector.
     */
    private static Transport poll(SelectorProvider provider) {
        return new Transport(TransportKind.POLL, NioIoHandler.newFactory(provider),
                () -> new NioServerSocketChannel(provider), "requested: NIO on the JDK's poll(2) selector");
    }
}
