package dev.ricochet.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The TLS handshakes of one port: how each ended, and how long the successful ones took. */
public final class TlsHandshakeMetrics {

    /** How a handshake ended: a small fixed set, each a series from the start (at 0). */
    public enum Result {
        SUCCESS,
        /** Not finished within --tls-handshake-timeout. */
        TIMEOUT,
        /** The client's first bytes were not a TLS record: plaintext to a TLS port. */
        NOT_TLS,
        /** Mutual TLS: the client's certificate is expired, not yet valid, or not issued by --tls-client-ca. */
        BAD_CERTIFICATE,
        /** Mutual TLS: the client presented no certificate. */
        MISSING_CERTIFICATE,
        /** The client closed the connection before the handshake finished. */
        CLOSED,
        /** Any other failure: no common protocol version or cipher, a malformed message. */
        FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Bucket bounds from 100 µs (a resumed session on loopback) to 10 s, the default timeout. */
    private static final Duration[] BUCKETS = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Map<Result, Counter> results;
    private final Timer duration;

    TlsHandshakeMetrics(MeterRegistry registry, String protocol) {
        results = CountersByLabel.register(registry, MetricNames.TLS_HANDSHAKES, "TLS handshakes, by how they ended",
                protocol, MetricNames.TAG_RESULT, Result.class, Result::label);
        duration = Timer.builder(MetricNames.TLS_HANDSHAKE_DURATION)
                .description("Time from accept to a finished TLS handshake, successful handshakes only")
                .tag(MetricNames.TAG_PROTOCOL, protocol)
                .serviceLevelObjectives(BUCKETS).minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1]).register(registry);
    }

    public void succeeded(long nanos) {
        results.get(Result.SUCCESS).increment();
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void ended(Result result) {
        results.get(result).increment();
    }
}
