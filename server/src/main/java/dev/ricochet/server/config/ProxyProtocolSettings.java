package dev.ricochet.server.config;

import dev.ricochet.cli.Range;
import dev.ricochet.server.kind.EngineKind;
import java.time.Duration;
import java.util.List;

/**
 * Whether the echo and prime listeners expect a PROXY protocol header (v2, or v1) before the
 * protocol's first byte, as a load balancer in front of them sends it to pass on the client's
 * address. The admin port never does: probes and scrapers reach it directly.
 *
 * @param enabled       whether every echo and prime connection must start with a header
 *                      ({@code --proxy-protocol}); one without a valid header is closed, nothing
 *                      sent
 * @param headerTimeout how long a connection may take to send its whole header
 *                      ({@code --proxy-protocol-timeout}); then it is closed
 */
public record ProxyProtocolSettings(boolean enabled, Duration headerTimeout) {

    /** The event-loop engine reads the header; the blocking ones, there to compare models, do not. */
    private static final String BLOCKING = "the blocking engines read no PROXY header";

    static final ServerOption<Boolean> ENABLED = ServerOption.bool("--proxy-protocol", false,
            "Expect a PROXY protocol header (v2, or v1) from a load balancer at the start of every echo and prime"
                    + " connection, and log the client's address it carries; a connection without a valid header"
                    + " is closed, nothing sent, and counted in ricochet_proxy_protocol_refused_total. Every"
                    + " client must then come through the proxy. The admin port is not concerned.")
            .onlyFor(EngineKind::eventLoops, BLOCKING);
    static final ServerOption<Duration> HEADER_TIMEOUT = ServerOption.duration("--proxy-protocol-timeout",
            Range.between(Duration.ofMillis(1), Duration.ofMinutes(10), "1ms..10m"), "5s",
            "With --proxy-protocol, close a connection that has not sent its whole header within this long.")
            .onlyFor(EngineKind::eventLoops, BLOCKING).tuning(ENABLED);
    static final List<ServerOption<?>> OPTIONS = List.of(ENABLED, HEADER_TIMEOUT);

    public ProxyProtocolSettings {
        HEADER_TIMEOUT.require(headerTimeout);
    }

    /** No header expected: the default. */
    public static ProxyProtocolSettings off() {
        return new ProxyProtocolSettings(false, HEADER_TIMEOUT.byDefault());
    }

    static ProxyProtocolSettings from(OptionValues options) {
        return new ProxyProtocolSettings(options.value(ENABLED), options.value(HEADER_TIMEOUT));
    }
}
