package dev.ricochet.server.config;

import dev.ricochet.cli.Range;
import dev.ricochet.server.transport.TcpKeepalive;
import java.time.Duration;
import java.util.List;

/**
 * What every connection, of either protocol, is held to.
 *
 * @param max          connections allowed at once over both protocols ({@code --max-connections});
 *                     0 for no limit
 * @param idleTimeout  close a connection without traffic for this long ({@code --idle-timeout});
 *                     zero for never
 * @param tcpKeepalive silence after which TCP keepalive probes a connection's peer, so that one
 *                     that vanished without FIN or RST is closed ({@code --tcp-keepalive}); zero
 *                     turns it off
 */
public record ConnectionSettings(int max, Duration idleTimeout, Duration tcpKeepalive) {

    static final ServerOption<Integer> MAX = ServerOption.number("--max-connections", Range.between(0, 10_000_000), 0,
            "Connections allowed at once over both protocols; more are closed on accept. 0: no limit but the"
                    + " process's open-file limit.");
    static final ServerOption<Duration> IDLE_TIMEOUT = ServerOption.duration("--idle-timeout",
            Range.upTo(Duration.ofDays(7)), "0s",
            "Close a connection that sent and received nothing for this long; 0s: never.");
    /** The kernel counts keepalive in whole seconds, and refuses more than 32767. */
    static final ServerOption<Duration> TCP_KEEPALIVE = ServerOption.duration("--tcp-keepalive",
            Range.zeroOr(Duration.ofSeconds(1), Duration.ofSeconds(TcpKeepalive.MAX_IDLE_SECONDS)), "60s",
            "Silence after which TCP keepalive probes a connection's peer (then every 10s at most, 6 probes), so"
                    + " that a peer that vanished without FIN or RST is closed; 0s: off.");
    static final List<ServerOption<?>> OPTIONS = List.of(MAX, IDLE_TIMEOUT, TCP_KEEPALIVE);

    public ConnectionSettings {
        MAX.require(max);
        IDLE_TIMEOUT.require(idleTimeout);
        TCP_KEEPALIVE.require(tcpKeepalive);
    }

    public ConnectionSettings withMax(int max) {
        return new ConnectionSettings(max, idleTimeout, tcpKeepalive);
    }

    public ConnectionSettings withIdleTimeout(Duration idleTimeout) {
        return new ConnectionSettings(max, idleTimeout, tcpKeepalive);
    }

    public ConnectionSettings withTcpKeepalive(Duration tcpKeepalive) {
        return new ConnectionSettings(max, idleTimeout, tcpKeepalive);
    }

    static ConnectionSettings from(OptionValues options) {
        return new ConnectionSettings(options.value(MAX), options.value(IDLE_TIMEOUT), options.value(TCP_KEEPALIVE));
    }
}
