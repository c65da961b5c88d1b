package dev.ricochet.server.metrics;

import dev.ricochet.server.kind.EngineKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * A master's own meters ({@code --processes}): how its workers fare. Only these, no JVM or
 * protocol meters: the master serves no connection, and its page carries the workers'
 * series under their {@code worker} label, which a master series of the same name without
 * one would only muddle.
 */
public final class WorkerMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;

    private WorkerMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
    }

    /** Recorded for Prometheus, labelled with the workers' engine as theirs are. */
    public static WorkerMetrics prometheus(EngineKind engine) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(MetricNames.TAG_ENGINE, engine.cliName());
        return new WorkerMetrics(registry, registry);
    }

    /** Meters that record nothing ({@code --metrics=false}). */
    public static WorkerMetrics disabled() {
        return new WorkerMetrics(new CompositeMeterRegistry(), null);
    }

    public boolean enabled() {
        return prometheus != null;
    }

    /** The restarts of worker {@code index}. */
    public Counter restarts(int index) {
        return Counter.builder(MetricNames.WORKER_RESTARTS).tag(MetricNames.TAG_WORKER, String.valueOf(index))
                .description("Worker processes started again after one exited").register(registry);
    }

    /** The failed scrapes of worker {@code index}'s metrics. */
    public Counter scrapeErrors(int index) {
        return Counter.builder(MetricNames.WORKER_SCRAPE_ERRORS).tag(MetricNames.TAG_WORKER, String.valueOf(index))
                .description("Scrapes of a worker's metrics that failed, its series left off the page")
                .register(registry);
    }

    /** Whether worker {@code index} has been ready since it started and still runs, as 1 or 0. */
    public void bindReady(int index, BooleanSupplier ready) {
        Gauge.builder(MetricNames.WORKER_READY, ready, r -> r.getAsBoolean() ? 1 : 0)
                .strongReference(true) // a gauge holds its object weakly, and nothing else holds a lambda
                .tag(MetricNames.TAG_WORKER, String.valueOf(index))
                .description("1 from when the worker process is ready until it exits, 0 while it starts or is replaced")
                .register(registry);
    }

    /** The spares ready to take a worker's place, counted by {@code warm}. */
    public void bindSpares(IntSupplier warm) {
        Gauge.builder(MetricNames.WORKER_SPARES, warm, w -> w.getAsInt())
                .strongReference(true)
                .description("Spare worker processes ready to take a dead worker's place (--spare-processes)")
                .register(registry);
    }

    /**
     * The master's own series in the Prometheus text format (0.0.4).
     *
     * @throws IllegalStateException when metrics are off
     */
    public String scrape() {
        if (prometheus == null) {
            throw new IllegalStateException("metrics are off");
        }
        return prometheus.scrape();
    }

    @Override
    public void close() {
        registry.close();
    }
}
