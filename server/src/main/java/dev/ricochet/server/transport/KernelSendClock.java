package dev.ricochet.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.uring.IoUringTcpInfo;
import java.util.concurrent.TimeUnit;

/**
 * Whether the kernel is still delivering a connection's replies to a live peer, from
 * {@code TCP_INFO}: replies the server handed over long ago may still be leaving for a slow
 * reader, and only the kernel knows. Two things must hold: the kernel sent new data recently
 * ({@code tcpi_last_data_sent}; zero-window probes carry none, so a reader that stopped does
 * not count), and it is not retransmitting on a timeout ({@code tcpi_retransmits}: a vanished
 * peer is retransmitted to as well, which also counts as "sent").
 */
public final class KernelSendClock {

    private KernelSendClock() {
    }

    /**
     * @return true when the kernel sent new data to a responsive peer within {@code nanos};
     *         false when it did not, or where the transport cannot ask it (NIO)
     */
    public static boolean stillSending(Channel channel, long nanos) {
        if (!channel.isActive()) {
            return false;
        }
        if (channel instanceof EpollSocketChannel epoll) {
            EpollTcpInfo info = epoll.tcpInfo();
            return sending(info.retransmits(), info.lastDataSent(), nanos);
        }
        if (channel instanceof IoUringSocketChannel uring) {
            IoUringTcpInfo info = uring.tcpInfo();
            return sending(info.retransmits(), info.lastDataSent(), nanos);
        }
        return false;
    }

    private static boolean sending(int retransmits, long lastDataSentMillis, long nanos) {
        return retransmits == 0 && TimeUnit.MILLISECONDS.toNanos(lastDataSentMillis) < nanos;
    }
}
