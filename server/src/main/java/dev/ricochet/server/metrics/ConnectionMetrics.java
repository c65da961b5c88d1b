package dev.ricochet.server.metrics;

import io.netty.channel.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The connection and traffic meters of one protocol, created once and shared by its connections. */
public final class ConnectionMetrics {

    private final AtomicInteger active = new AtomicInteger();
    private final Counter accepted;
    private final Map<CloseReason, Counter> closed;
    private final Counter received;
    private final Counter sent;
    private final Counter pauses;

    ConnectionMetrics(MeterRegistry registry, String protocol) {
        Gauge.builder(MetricNames.CONNECTIONS_ACTIVE, active, AtomicInteger::get)
                .description("Connections open now")
                .tag(MetricNames.TAG_PROTOCOL, protocol).register(registry);
        accepted = Counter.builder(MetricNames.CONNECTIONS_ACCEPTED)
                .description("Connections accepted").tag(MetricNames.TAG_PROTOCOL, protocol).register(registry);
        closed = CountersByLabel.register(registry, MetricNames.CONNECTIONS_CLOSED,
                "Connections closed, by who or what closed them", protocol, MetricNames.TAG_REASON,
                CloseReason.class, CloseReason::label);
        received = Counter.builder(MetricNames.RECEIVED).description("Bytes read from clients").baseUnit("bytes")
                .tag(MetricNames.TAG_PROTOCOL, protocol).register(registry);
        sent = Counter.builder(MetricNames.SENT).description("Bytes written to clients").baseUnit("bytes")
                .tag(MetricNames.TAG_PROTOCOL, protocol).register(registry);
        pauses = Counter.builder(MetricNames.BACKPRESSURE_PAUSES)
                .description("Times a connection stopped being read because its replies could not be written")
                .tag(MetricNames.TAG_PROTOCOL, protocol).register(registry);
    }

    public void opened() {
        active.incrementAndGet();
        accepted.increment();
    }

    /** Counts the close under the reason marked on the channel ({@link CloseReason}). */
    public void closed(Channel channel) {
        closed(CloseReason.of(channel));
    }

    public void closed(CloseReason reason) {
        active.decrementAndGet();
        closed.get(reason).increment();
    }

    public void received(long bytes) {
        received.increment(bytes);
    }

    public void sent(long bytes) {
        sent.increment(bytes);
    }

    public void backPressurePaused() {
        pauses.increment();
    }
}
