package dev.ricochet.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.DoubleSupplier;

/**
 * The certificate's meters: when the one served expires, and how its reloads went. Registered
 * only when TLS is on, so that a plaintext server has no expiry of 0 for an alert to fire on.
 */
public final class TlsMetrics {

    private final Counter reloaded;
    private final Counter reloadFailed;

    /** @param expirySeconds the served certificate's notAfter, in seconds since the epoch */
    TlsMetrics(MeterRegistry registry, DoubleSupplier expirySeconds) {
        Gauge.builder(MetricNames.TLS_CERTIFICATE_EXPIRY, expirySeconds::getAsDouble)
                .description("When the certificate served to new TLS connections expires (notAfter), since the epoch")
                .baseUnit("seconds").register(registry);
        reloaded = reloads(registry, "success");
        reloadFailed = reloads(registry, "failed");
    }

    private static Counter reloads(MeterRegistry registry, String result) {
        return Counter.builder(MetricNames.TLS_RELOADS)
                .description("TLS certificate files read again after they changed; failed ones keep the old certificate")
                .tag(MetricNames.TAG_RESULT, result).register(registry);
    }

    public void reloaded() {
        reloaded.increment();
    }

    public void reloadFailed() {
        reloadFailed.increment();
    }
}
