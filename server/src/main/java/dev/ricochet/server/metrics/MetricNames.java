package dev.ricochet.server.metrics;

/**
 * Every metric Ricochet registers, by Micrometer name. Prometheus sees them with dots as
 * underscores, the base unit appended and {@code _total} on counters: for example
 * {@code ricochet.received} with unit bytes is {@code ricochet_received_bytes_total}. The
 * dashboard and the alert rules use the Prometheus names; keep the three in step.
 */
public final class MetricNames {

    /** Gauge, by protocol: connections open now. Prometheus: ricochet_connections_active. */
    public static final String CONNECTIONS_ACTIVE = "ricochet.connections.active";
    /** Counter, by protocol: connections accepted. ricochet_connections_accepted_total. */
    public static final String CONNECTIONS_ACCEPTED = "ricochet.connections.accepted";
    /** Counter, by protocol and reason: connections closed. ricochet_connections_closed_total. */
    public static final String CONNECTIONS_CLOSED = "ricochet.connections.closed";
    /** Gauge: --max-connections, 0 when unlimited. ricochet_connections_max. */
    public static final String CONNECTIONS_MAX = "ricochet.connections.max";
    /** Counter, by protocol: bytes read from clients. ricochet_received_bytes_total. */
    public static final String RECEIVED = "ricochet.received";
    /** Counter, by protocol: bytes written to clients. ricochet_sent_bytes_total. */
    public static final String SENT = "ricochet.sent";
    /** Counter, by protocol: times a connection stopped being read. ricochet_backpressure_pauses_total. */
    public static final String BACKPRESSURE_PAUSES = "ricochet.backpressure.pauses";
    /** Counter: echo frames opened. ricochet_echo_frames_total. */
    public static final String ECHO_FRAMES = "ricochet.echo.frames";
    /** Counter, by result: prime requests answered. ricochet_prime_requests_total. */
    public static final String PRIME_REQUESTS = "ricochet.prime.requests";
    /** Histogram: time computing one prime request. ricochet_prime_compute_seconds. */
    public static final String PRIME_COMPUTE = "ricochet.prime.compute";
    /** Histogram: time a prime request waited for a worker. ricochet_prime_queue_wait_seconds. */
    public static final String PRIME_QUEUE_WAIT = "ricochet.prime.queue.wait";
    /** Gauge: prime requests waiting for a worker. ricochet_offload_queue_depth. */
    public static final String OFFLOAD_QUEUE_DEPTH = "ricochet.offload.queue.depth";
    /** Gauge: --offload-queue. ricochet_offload_queue_capacity. */
    public static final String OFFLOAD_QUEUE_CAPACITY = "ricochet.offload.queue.capacity";

    /**
     * Gauge: when the certificate served to new TLS connections expires (its notAfter), in
     * seconds since the epoch. ricochet_tls_certificate_expiry_timestamp_seconds. Only with TLS on.
     */
    public static final String TLS_CERTIFICATE_EXPIRY = "ricochet.tls.certificate.expiry.timestamp";
    /**
     * Counter, by protocol (echo, prime, admin) and result ({@code TlsHandshakeMetrics.Result}):
     * TLS handshakes finished or given up. ricochet_tls_handshakes_total.
     */
    public static final String TLS_HANDSHAKES = "ricochet.tls.handshakes";
    /** Histogram, by protocol: accept to finished handshake, successful ones. ricochet_tls_handshake_duration_seconds. */
    public static final String TLS_HANDSHAKE_DURATION = "ricochet.tls.handshake.duration";
    /** Counter, by result (success, failed): certificate files read again after they changed. ricochet_tls_reloads_total. */
    public static final String TLS_RELOADS = "ricochet.tls.reloads";

    /** Gauge: thread-pool workers serving a connection now. ricochet_thread_pool_busy_threads. */
    public static final String THREAD_POOL_BUSY = "ricochet.thread.pool.busy.threads";
    /** Gauge: accepted connections waiting for a thread-pool worker. ricochet_thread_pool_queue_depth. */
    public static final String THREAD_POOL_QUEUE_DEPTH = "ricochet.thread.pool.queue.depth";
    /**
     * Counter: connections closed on accept because every thread-pool worker was busy and the
     * queue was full. ricochet_thread_pool_refused_total.
     */
    public static final String THREAD_POOL_REFUSED = "ricochet.thread.pool.refused";

    /**
     * Counter, by protocol and reason ({@link ProxyHeaderRefusal}): connections closed because
     * they did not start with a valid PROXY protocol header (--proxy-protocol).
     * ricochet_proxy_protocol_refused_total.
     */
    public static final String PROXY_PROTOCOL_REFUSED = "ricochet.proxy.protocol.refused";

    /** Counter: log events dropped because the async log queue was full. ricochet_log_events_discarded_total. */
    public static final String LOG_EVENTS_DISCARDED = "ricochet.log.events.discarded";

    /** Gauge: the JVM's direct memory limit. ricochet_direct_memory_max_bytes. */
    public static final String DIRECT_MEMORY_MAX = "ricochet.direct.memory.max";

    /**
     * Counter, by worker: worker processes the master started again after one exited
     * (--processes). ricochet_worker_restarts_total. Only on a master's page.
     */
    public static final String WORKER_RESTARTS = "ricochet.worker.restarts";
    /**
     * Gauge, by worker: 1 from when the worker process answers its readiness until it exits
     * (a drain included), 0 while it starts or is replaced (--processes). ricochet_worker_ready.
     * Only on a master's page.
     */
    public static final String WORKER_READY = "ricochet.worker.ready";
    /**
     * Counter, by worker: scrapes of a worker's metrics that failed, leaving its series off that
     * page (--processes). ricochet_worker_scrape_errors_total. Only on a master's page.
     */
    public static final String WORKER_SCRAPE_ERRORS = "ricochet.worker.scrape.errors";

    /**
     * Gauge: spare worker processes started and ready to take a dead worker's place
     * (--spare-processes). ricochet_worker_spares. Only on a master's page.
     */
    public static final String WORKER_SPARES = "ricochet.worker.spares";

    /** On every meter: the --engine serving the connections. */
    public static final String TAG_ENGINE = "engine";
    public static final String TAG_PROTOCOL = "protocol";
    public static final String TAG_REASON = "reason";
    public static final String TAG_RESULT = "result";
    /**
     * On a master's page (--processes): the index of the worker process (0 to N-1) a series
     * comes from; a replacement keeps the index of the worker it replaces.
     */
    public static final String TAG_WORKER = "worker";

    private MetricNames() {
    }
}
