package dev.ricochet.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * When the kernel last transmitted data on a connection ({@code TCP_INFO}'s
 * {@code tcpi_last_data_sent}). Replies the server has handed to the kernel may take long to
 * leave for a slow reader: only the kernel knows they are still leaving. Zero-window probes
 * carry no data, so a reader that has stopped does not look alive here.
 */
public final class KernelSendClock {

    /** What {@link #nanosSinceDataSent} says where the transport cannot ask the kernel (NIO). */
    public static final long UNKNOWN = -1;

    private KernelSendClock() {
    }

    /** Nanoseconds since the kernel last sent data on {@code channel}, or {@link #UNKNOWN}. */
    public static long nanosSinceDataSent(Channel channel) {
        if (channel instanceof EpollSocketChannel epoll && epoll.isActive()) {
            return TimeUnit.MILLISECONDS.toNanos(epoll.tcpInfo().lastDataSent());
        }
        if (channel instanceof IoUringSocketChannel uring && uring.isActive()) {
            return TimeUnit.MILLISECONDS.toNanos(uring.tcpInfo().lastDataSent());
        }
        return UNKNOWN;
    }
}
