package dev.ricochet.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/** The PROXY protocol meters of one protocol's listener, registered only when --proxy-protocol is on. */
public final class ProxyProtocolMetrics {

    private final Map<ProxyHeaderRefusal, Counter> refused;

    ProxyProtocolMetrics(MeterRegistry registry, String protocol) {
        refused = CountersByLabel.register(registry, MetricNames.PROXY_PROTOCOL_REFUSED,
                "Connections closed because they did not start with a valid PROXY protocol header", protocol,
                MetricNames.TAG_REASON, ProxyHeaderRefusal.class, ProxyHeaderRefusal::label);
    }

    public void refused(ProxyHeaderRefusal reason) {
        refused.get(reason).increment();
    }
}
