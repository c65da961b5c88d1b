package dev.ricochet.server.metrics;

import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.logging.DiscardWhenQueueFull;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;

/**
 * The server's meter registry and every meter in it. With metrics off the meters exist but
 * record into nothing, so the hot paths stay the same code either way.
 */
public final class ServerMetrics implements MetricsPage, AutoCloseable {

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final ConnectionMetrics echo;
    private final ConnectionMetrics prime;
    private final PrimeMetrics primeService;
    private final Counter echoFrames;
    private JvmGcMetrics gc;

    private ServerMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.echo = new ConnectionMetrics(registry, "echo");
        this.prime = new ConnectionMetrics(registry, "prime");
        this.primeService = new PrimeMetrics(registry);
        this.echoFrames = Counter.builder(MetricNames.ECHO_FRAMES).description("Echo frames opened by clients ('^')")
                .register(registry);
    }

    /** Metrics recorded for Prometheus, as the netty engine's. */
    public static ServerMetrics prometheus() {
        return prometheus(EngineKind.NETTY);
    }

    /**
     * Metrics recorded for Prometheus, with the JVM and process meters bound, every meter
     * labelled with the engine so that runs of different engines can share one Prometheus.
     */
    public static ServerMetrics prometheus(EngineKind engine) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(MetricNames.TAG_ENGINE, engine.cliName());
        registry.config().meterFilter(new PromtoolCleanMeters());
        registry.config().meterFilter(new StableAllocatorLabels());
        ServerMetrics metrics = new ServerMetrics(registry, registry);
        new JvmMemoryMetrics().bindTo(registry);
        metrics.gc = new JvmGcMetrics();
        metrics.gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        bindProcessCpu(registry);
        FunctionCounter.builder(MetricNames.LOG_EVENTS_DISCARDED, DiscardWhenQueueFull.class,
                        policy -> DiscardWhenQueueFull.discarded())
                .description("Log events dropped because the async log queue was full").register(registry);
        Gauge.builder(MetricNames.DIRECT_MEMORY_MAX, PlatformDependent::maxDirectMemory)
                .description("Direct memory the JVM lets Netty allocate (-XX:MaxDirectMemorySize)").baseUnit("bytes")
                .register(registry);
        return metrics;
    }

    /** process_cpu_seconds_total, the name every Prometheus dashboard knows. */
    private static void bindProcessCpu(MeterRegistry registry) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, bean -> bean.getProcessCpuTime() / 1e9)
                    .description("CPU time used by the process").baseUnit("seconds").register(registry);
        }
    }

    /** Meters that record nothing ({@code --metrics=false}). */
    public static ServerMetrics disabled() {
        return new ServerMetrics(new CompositeMeterRegistry(), null);
    }

    /** The registry every meter is in: for binders of meters of their own, and tests. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public boolean enabled() {
        return prometheus != null;
    }

    public ConnectionMetrics echo() {
        return echo;
    }

    public ConnectionMetrics prime() {
        return prime;
    }

    public PrimeMetrics primeService() {
        return primeService;
    }

    public Counter echoFrames() {
        return echoFrames;
    }

    /** The TLS handshake meters of one port ({@code echo}, {@code prime}, {@code admin}). */
    public TlsHandshakeMetrics tlsHandshakes(String protocol) {
        return new TlsHandshakeMetrics(registry, protocol);
    }

    /** The certificate's meters, once TLS is on; {@code expirySeconds} reads the served certificate's notAfter. */
    public TlsMetrics bindTls(java.util.function.DoubleSupplier expirySeconds) {
        return new TlsMetrics(registry, expirySeconds);
    }

    /** Binds what only exists once the engine runs: its event loops, allocator and limits. */
    public void bindEngine(EventExecutorGroup eventLoops, ByteBufAllocator allocator,
            int maxConnections, IntSupplier offloadWaiting, int offloadCapacity) {
        new NettyEventExecutorMetrics(eventLoops).bindTo(registry);
        if (allocator instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
        bindConnectionLimit(maxConnections);
        Gauge.builder(MetricNames.OFFLOAD_QUEUE_DEPTH, offloadWaiting::getAsInt)
                .description("Prime requests waiting for a worker").register(registry);
        Gauge.builder(MetricNames.OFFLOAD_QUEUE_CAPACITY, () -> offloadCapacity)
                .description("Prime requests that may wait for a worker (--offload-queue)")
                .register(registry);
    }

    /**
     * The PROXY protocol meters of one protocol's listener (--proxy-protocol); asking twice
     * for the same protocol gives meters that count into the same series.
     *
     * @param protocol {@code echo} or {@code prime}
     */
    public ProxyProtocolMetrics proxyProtocol(String protocol) {
        return new ProxyProtocolMetrics(registry, protocol);
    }

    /** --max-connections, for every engine. */
    public void bindConnectionLimit(int maxConnections) {
        Gauge.builder(MetricNames.CONNECTIONS_MAX, () -> maxConnections)
                .description("Connections allowed at once (--max-connections), 0 when unlimited")
                .register(registry);
    }

    /**
     * The thread-pool engine's workers and queue.
     *
     * @return the counter of connections refused because the workers and the queue were full
     */
    public Counter bindThreadPool(IntSupplier busyThreads, IntSupplier queued) {
        Gauge.builder(MetricNames.THREAD_POOL_BUSY, busyThreads::getAsInt)
                .description("Thread-pool workers serving a connection now").register(registry);
        Gauge.builder(MetricNames.THREAD_POOL_QUEUE_DEPTH, queued::getAsInt)
                .description("Accepted connections waiting for a thread-pool worker").register(registry);
        return Counter.builder(MetricNames.THREAD_POOL_REFUSED)
                .description("Connections closed on accept because every worker was busy and the queue was full")
                .register(registry);
    }

    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * The Content-Type of the page {@link #scrape(String)} returns for this Accept header:
     * OpenMetrics when the scraper prefers it ({@link ScrapeFormat}, q-values honoured), the
     * Prometheus text format otherwise. Never protobuf, even when a scraper prefers it: the page
     * is text, and the two must not disagree.
     */
    public static String contentTypeFor(String accept) {
        return ScrapeFormat.prefersOpenMetrics(accept) ? OPENMETRICS : TEXT;
    }

    @Override
    public String contentType(String accept) {
        return contentTypeFor(accept);
    }

    /**
     * The Prometheus page, in the format the scraper asked for.
     *
     * @param accept the request's Accept header (OpenMetrics when it asks for it), or null
     * @throws IllegalStateException when metrics are off
     */
    @Override
    public String scrape(String accept) {
        if (prometheus == null) {
            throw new IllegalStateException("metrics are off");
        }
        return prometheus.scrape(contentTypeFor(accept));
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
