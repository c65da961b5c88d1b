package dev.ricochet.loadgen.run;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;

/**
 * The client transport of a run: {@code auto} takes native epoll and falls back to NIO;
 * {@code epoll}, {@code io_uring} and {@code nio} are taken as asked, or refused when their
 * native library does not load here (a benchmark must not quietly run on another transport).
 *
 * @param name         what reports print
 * @param ioHandler    the event loops' I/O handler
 * @param channelClass the socket channel to connect with
 * @param reason       why this one: asked for, or what {@code auto} found
 */
public record ClientTransport(String name, IoHandlerFactory ioHandler, Class<? extends SocketChannel> channelClass,
        String reason) {

    public static final String CHOICES = "auto, epoll, io_uring or nio";

    /** @throws IllegalArgumentException for an unknown name, or a native transport that does not load here */
    public static ClientTransport choose(String requested) {
        return switch (requested.toLowerCase(Locale.ROOT)) {
            case "auto" -> Epoll.isAvailable()
                    ? epoll("auto: native epoll loaded")
                    : nio("auto: native epoll unavailable (" + Epoll.unavailabilityCause() + ")");
            case "epoll" -> {
                requireLoaded("epoll", Epoll.unavailabilityCause());
                yield epoll("requested");
            }
            case "io_uring" -> {
                requireLoaded("io_uring", IoUring.unavailabilityCause());
                yield new ClientTransport("io_uring", IoUringIoHandler.newFactory(), IoUringSocketChannel.class,
                        "requested");
            }
            case "nio" -> nio("requested");
            default -> throw new IllegalArgumentException("--transport: " + requested + " (expected: " + CHOICES + ")");
        };
    }

    private static void requireLoaded(String name, Throwable unavailabilityCause) {
        if (unavailabilityCause != null) {
            throw new IllegalArgumentException("--transport " + name + ": not available on this machine ("
                    + unavailabilityCause + ")");
        }
    }

    private static ClientTransport epoll(String reason) {
        return new ClientTransport("epoll", EpollIoHandler.newFactory(), EpollSocketChannel.class, reason);
    }

    private static ClientTransport nio(String reason) {
        return new ClientTransport("nio", NioIoHandler.newFactory(), NioSocketChannel.class, reason);
    }

    @Override
    public String toString() {
        return name + " (" + reason + ")";
    }
}
