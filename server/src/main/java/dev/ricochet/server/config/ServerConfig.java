package dev.ricochet.server.config;

import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.prime.PrimeMethod;
import dev.ricochet.server.transport.TcpKeepalive;
import dev.ricochet.server.transport.TransportKind;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The server's settings, validated and immutable.
 *
 * @param engine         the concurrency model serving the connections
 * @param bind           address every listener binds to
 * @param echoPort       echo protocol port, 0 to 65535 (0: any free port, for tests)
 * @param primePort      prime protocol port, 0 to 65535
 * @param transport      requested transport
 * @param ioThreads      event loops serving connections, at least 1
 * @param shutdownDelay  on SIGTERM, how long readiness says 503 before the listeners close, so
 *                       that load balancers stop sending new clients first; zero or more
 * @param shutdownGrace  how long open connections then have to finish, zero or more
 * @param primeMethod    how primality is computed
 * @param primeLinger    how long a bare number waits for more bytes before it is a request
 *                       (zero: only newline-terminated requests)
 * @param offloadThreads prime workers; 0 computes on the event loops (for comparisons only)
 * @param offloadQueue   prime requests that may wait for a worker before {@code error: busy}
 * @param primeCacheSize prime results cached; 0 turns the cache off
 * @param adminBind      address the admin HTTP server binds to
 * @param adminPort      admin HTTP port (/metrics, /health/live, /health/ready), 0 to 65535
 * @param metrics        whether metrics are recorded and served
 * @param maxConnections connections allowed at once over both protocols; 0 for no limit
 * @param idleTimeout    close a connection without traffic for this long; zero for never
 * @param tcpKeepalive   silence after which TCP keepalive probes a connection's peer, so that
 *                       one that vanished without FIN or RST is closed; zero turns it off
 */
public record ServerConfig(
        EngineSettings engine,
        InetAddress bind,
        int echoPort,
        int primePort,
        TransportKind transport,
        int ioThreads,
        Duration shutdownDelay,
        Duration shutdownGrace,
        PrimeMethod primeMethod,
        Duration primeLinger,
        int offloadThreads,
        int offloadQueue,
        int primeCacheSize,
        InetAddress adminBind,
        int adminPort,
        boolean metrics,
        int maxConnections,
        Duration idleTimeout,
        Duration tcpKeepalive) {

    public ServerConfig {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(primeMethod, "primeMethod");
        Objects.requireNonNull(adminBind, "adminBind");
        requirePort("--echo-port", echoPort);
        requirePort("--prime-port", primePort);
        requirePort("--admin-port", adminPort);
        if (echoPort != 0 && echoPort == primePort) {
            throw new IllegalArgumentException("--prime-port: " + primePort + " (expected: a port other than --echo-port)");
        }
        if (adminPort != 0 && (adminPort == echoPort || adminPort == primePort)) {
            throw new IllegalArgumentException("--admin-port: " + adminPort
                    + " (expected: a port other than --echo-port and --prime-port)");
        }
        requireBetween("--io-threads", ioThreads, 1, 1024);
        requireBetween("--shutdown-delay", shutdownDelay, Duration.ofHours(1));
        requireBetween("--shutdown-grace", shutdownGrace, Duration.ofDays(1));
        requireBetween("--prime-linger", primeLinger, Duration.ofSeconds(10));
        requireBetween("--offload-threads", offloadThreads, 0, 1024);
        requireBetween("--offload-queue", offloadQueue, 1, 10_000_000);
        requireBetween("--prime-cache-size", primeCacheSize, 0, 100_000_000);
        requireBetween("--max-connections", maxConnections, 0, 10_000_000);
        requireBetween("--idle-timeout", idleTimeout, Duration.ofDays(7));
        Objects.requireNonNull(tcpKeepalive, "--tcp-keepalive");
        if (!tcpKeepalive.isZero() && (tcpKeepalive.compareTo(Duration.ofSeconds(1)) < 0
                || tcpKeepalive.compareTo(Duration.ofSeconds(TcpKeepalive.MAX_IDLE_SECONDS)) > 0)) {
            // The kernel counts keepalive in whole seconds, and refuses more than 32767.
            throw new IllegalArgumentException("--tcp-keepalive: " + tcpKeepalive + " (expected: 0s, or 1s.."
                    + Duration.ofSeconds(TcpKeepalive.MAX_IDLE_SECONDS) + ")");
        }
    }

    /** Settings for a server on loopback with ephemeral ports: what tests start. */
    public static ServerConfig loopback(TransportKind transport) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return new ServerConfig(EngineSettings.of(EngineKind.NETTY), loopback, 0, 0, transport, 2, Duration.ZERO,
                Duration.ofSeconds(5), PrimeMethod.TRIAL_DIVISION, Duration.ofMillis(20), 2, 10_000, 100_000,
                loopback, 0, true, 0, Duration.ZERO, Duration.ofSeconds(60));
    }

    public ServerConfig withEngine(EngineSettings engine) {
        return new ServerConfig(engine, bind, echoPort, primePort, transport, ioThreads, shutdownDelay, shutdownGrace,
                primeMethod, primeLinger, offloadThreads, offloadQueue, primeCacheSize, adminBind, adminPort, metrics,
                maxConnections, idleTimeout, tcpKeepalive);
    }

    public ServerConfig withShutdownGrace(Duration grace) {
        return new ServerConfig(engine, bind, echoPort, primePort, transport, ioThreads, shutdownDelay, grace, primeMethod,
                primeLinger, offloadThreads, offloadQueue, primeCacheSize, adminBind, adminPort, metrics,
                maxConnections, idleTimeout, tcpKeepalive);
    }

    public ServerConfig withPrime(PrimeMethod method, int threads, int queue, int cacheSize) {
        return new ServerConfig(engine, bind, echoPort, primePort, transport, ioThreads, shutdownDelay, shutdownGrace, method,
                primeLinger, threads, queue, cacheSize, adminBind, adminPort, metrics, maxConnections, idleTimeout,
                tcpKeepalive);
    }

    public ServerConfig withLimits(int maxConnections, Duration idleTimeout) {
        return new ServerConfig(engine, bind, echoPort, primePort, transport, ioThreads, shutdownDelay, shutdownGrace,
                primeMethod, primeLinger, offloadThreads, offloadQueue, primeCacheSize, adminBind, adminPort, metrics,
                maxConnections, idleTimeout, tcpKeepalive);
    }

    public ServerConfig withTcpKeepalive(Duration keepalive) {
        return new ServerConfig(engine, bind, echoPort, primePort, transport, ioThreads, shutdownDelay, shutdownGrace,
                primeMethod, primeLinger, offloadThreads, offloadQueue, primeCacheSize, adminBind, adminPort, metrics,
                maxConnections, idleTimeout, keepalive);
    }

    private static void requirePort(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + ": " + port + " (expected: 0..65535)");
        }
    }

    private static void requireBetween(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: " + min + ".." + max + ")");
        }
    }

    /** Bounded so that every duration converts to nanoseconds and means something. */
    private static void requireBetween(String option, Duration value, Duration max) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: 0s.." + max + ")");
        }
    }
}
