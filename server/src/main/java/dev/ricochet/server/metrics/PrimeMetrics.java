package dev.ricochet.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The prime service's meters. */
public final class PrimeMetrics {

    /** Bucket bounds from 10 µs to 10 s: a cached or small request to 2^63-25 by trial division. */
    private static final Duration[] BUCKETS = {
            Duration.ofNanos(10_000), Duration.ofNanos(25_000), Duration.ofNanos(50_000),
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Counter prime;
    private final Counter composite;
    private final Counter error;
    private final Counter busy;
    private final Timer compute;
    private final Timer queueWait;

    PrimeMetrics(MeterRegistry registry) {
        prime = requests(registry, "prime");
        composite = requests(registry, "composite");
        error = requests(registry, "error");
        busy = requests(registry, "busy");
        compute = histogram(registry, MetricNames.PRIME_COMPUTE, "Time spent computing one prime request");
        queueWait = histogram(registry, MetricNames.PRIME_QUEUE_WAIT, "Time a prime request waited for a worker");
    }

    private static Counter requests(MeterRegistry registry, String result) {
        return Counter.builder(MetricNames.PRIME_REQUESTS).description("Prime requests answered, by reply")
                .tag(MetricNames.TAG_RESULT, result).register(registry);
    }

    private static Timer histogram(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
                .register(registry);
    }

    public void answeredPrime() {
        prime.increment();
    }

    public void answeredComposite() {
        composite.increment();
    }

    public void answeredError() {
        error.increment();
    }

    public void answeredBusy() {
        busy.increment();
    }

    public void computed(long nanos) {
        compute.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void waited(long nanos) {
        queueWait.record(nanos, TimeUnit.NANOSECONDS);
    }
}
