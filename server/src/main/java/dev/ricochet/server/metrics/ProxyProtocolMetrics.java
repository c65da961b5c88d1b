package dev.ricochet.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** The PROXY protocol meters of one protocol's listener, registered only when --proxy-protocol is on. */
public final class ProxyProtocolMetrics {

    private final Map<ProxyHeaderRefusal, Counter> refused = new EnumMap<>(ProxyHeaderRefusal.class);

    ProxyProtocolMetrics(MeterRegistry registry, String protocol) {
        // Every reason up front, so that each series exists (at 0) from the start.
        for (ProxyHeaderRefusal reason : ProxyHeaderRefusal.values()) {
            refused.put(reason, Counter.builder(MetricNames.PROXY_PROTOCOL_REFUSED)
                    .description("Connections closed because they did not start with a valid PROXY protocol header")
                    .tag(MetricNames.TAG_PROTOCOL, protocol).tag(MetricNames.TAG_REASON, reason.label())
                    .register(registry));
        }
    }

    public void refused(ProxyHeaderRefusal reason) {
        refused.get(reason).increment();
    }
}
