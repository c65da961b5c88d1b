package dev.ricochet.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP keepalive for accepted connections, so that a peer that vanished without FIN or RST (a
 * dropped NAT entry, a crashed host) does not hold its connection forever: after
 * {@code idle} of silence the kernel probes every {@link #interval()} and closes the
 * connection after {@link #PROBES} unanswered probes. The kernel's defaults (two hours of
 * silence, then 9 probes 75 s apart) are far too lax for a server of 10,000 connections.
 *
 * <p>Keepalive only runs while nothing is in flight: a peer that vanished with replies still
 * unacknowledged is retransmitted to for about 15 minutes ({@code tcp_retries2}). On epoll and
 * io_uring {@code TCP_USER_TIMEOUT} bounds that too, to the same silence plus probes; a live
 * reader that keeps acknowledging zero-window probes is not affected. NIO cannot set it.
 */
public final class TcpKeepalive {

    static final int PROBES = 6;
    /** The kernel's limit for TCP_KEEPIDLE and TCP_KEEPINTVL. */
    public static final int MAX_IDLE_SECONDS = 32_767;
    private static final int MAX_INTERVAL_SECONDS = 10;

    private final int idleSeconds;

    /** @param idle silence before the first probe, whole seconds; zero turns keepalive off */
    public TcpKeepalive(Duration idle) {
        this.idleSeconds = (int) Math.min(Integer.MAX_VALUE, idle.toSeconds());
    }

    /** Seconds between probes: at most 10, never more than the silence itself. */
    int interval() {
        return Math.max(1, Math.min(idleSeconds, MAX_INTERVAL_SECONDS));
    }

    /** Sets the accepted connections' keepalive options for the transport they run on. */
    public void applyTo(ServerBootstrap bootstrap, TransportKind kind) {
        bootstrap.childOption(ChannelOption.SO_KEEPALIVE, idleSeconds > 0);
        if (idleSeconds == 0) {
            return;
        }
        switch (kind) {
            case EPOLL -> {
                set(bootstrap, EpollChannelOption.TCP_KEEPIDLE, EpollChannelOption.TCP_KEEPINTVL,
                        EpollChannelOption.TCP_KEEPCNT);
                bootstrap.childOption(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis());
            }
            case IO_URING -> {
                set(bootstrap, IoUringChannelOption.TCP_KEEPIDLE, IoUringChannelOption.TCP_KEEPINTVL,
                        IoUringChannelOption.TCP_KEEPCNT);
                bootstrap.childOption(IoUringChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis());
            }
            case NIO, POLL -> set(bootstrap, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE),
                    NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                    NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT));
            case AUTO -> throw new IllegalArgumentException("kind: auto (expected: the transport chosen)");
        }
    }

    /**
     * Sets an accepted blocking socket's keepalive options. The JDK cannot set
     * TCP_USER_TIMEOUT, so replies stuck unacknowledged wait for the kernel's retransmission
     * limit, as on NIO.
     */
    public void applyTo(Socket socket) throws IOException {
        socket.setKeepAlive(idleSeconds > 0);
        if (idleSeconds > 0) {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, idleSeconds);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, interval());
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, PROBES);
        }
    }

    /** How long sent data may stay unacknowledged: as long as keepalive takes to give up. */
    int userTimeoutMillis() {
        return (idleSeconds + interval() * PROBES) * 1000;
    }

    private void set(ServerBootstrap bootstrap, ChannelOption<Integer> idle, ChannelOption<Integer> interval,
            ChannelOption<Integer> count) {
        bootstrap.childOption(idle, idleSeconds)
                .childOption(interval, interval())
                .childOption(count, PROBES);
    }
}
