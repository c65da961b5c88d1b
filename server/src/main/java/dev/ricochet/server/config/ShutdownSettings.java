package dev.ricochet.server.config;

import dev.ricochet.cli.Range;
import java.time.Duration;
import java.util.List;

/**
 * How the server stops on SIGTERM.
 *
 * @param delay how long readiness says 503 before the listeners close, so that load balancers
 *              stop sending new clients first ({@code --shutdown-delay})
 * @param grace how long open connections then have to finish ({@code --shutdown-grace})
 */
public record ShutdownSettings(Duration delay, Duration grace) {

    static final ServerOption<Duration> DELAY = ServerOption.duration("--shutdown-delay",
            Range.upTo(Duration.ofHours(1)), "2s",
            "On SIGTERM, how long /health/ready answers 503 while the ports still accept, so that load balancers"
                    + " stop sending new clients before the listeners close.");
    static final ServerOption<Duration> GRACE = ServerOption.duration("--shutdown-grace",
            Range.upTo(Duration.ofDays(1)), "30s",
            "Once the listeners are closed, how long open connections may take to finish (echo: the frame under"
                    + " way; prime: every reply owed) before they are closed (500ms, 30s, 2m, PT1M).");
    static final List<ServerOption<?>> OPTIONS = List.of(DELAY, GRACE);

    public ShutdownSettings {
        DELAY.require(delay);
        GRACE.require(grace);
    }

    static ShutdownSettings from(OptionValues options) {
        return new ShutdownSettings(options.value(DELAY), options.value(GRACE));
    }
}
