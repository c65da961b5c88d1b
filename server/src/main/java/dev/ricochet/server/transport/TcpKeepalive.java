package dev.ricochet.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP keepalive for accepted connections, so that a peer that vanished without FIN or RST (a
 * dropped NAT entry, a crashed host) does not hold its connection forever: after
 * {@code idle} of silence the kernel probes every {@link #interval()} and closes the
 * connection after {@link #PROBES} unanswered probes. The kernel's defaults (two hours of
 * silence, then 9 probes 75 s apart) are far too lax for a server of 10,000 connections.
 */
public final class TcpKeepalive {

    static final int PROBES = 6;
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
            case EPOLL -> set(bootstrap, EpollChannelOption.TCP_KEEPIDLE, EpollChannelOption.TCP_KEEPINTVL,
                    EpollChannelOption.TCP_KEEPCNT);
            case IO_URING -> set(bootstrap, IoUringChannelOption.TCP_KEEPIDLE, IoUringChannelOption.TCP_KEEPINTVL,
                    IoUringChannelOption.TCP_KEEPCNT);
            case NIO -> set(bootstrap, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE),
                    NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                    NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT));
            case AUTO -> throw new IllegalArgumentException("kind: auto (expected: the transport chosen)");
        }
    }

    private void set(ServerBootstrap bootstrap, ChannelOption<Integer> idle, ChannelOption<Integer> interval,
            ChannelOption<Integer> count) {
        bootstrap.childOption(idle, idleSeconds)
                .childOption(interval, interval())
                .childOption(count, PROBES);
    }
}
