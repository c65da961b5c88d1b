package dev.ricochet.server.config;

import dev.ricochet.server.transport.TransportKind;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The server's settings, validated and immutable.
 *
 * @param bind          address every listener binds to
 * @param echoPort      echo protocol port, 0 to 65535 (0: any free port, for tests)
 * @param transport     requested transport
 * @param ioThreads     event loops serving connections, at least 1
 * @param shutdownGrace how long a SIGTERM waits for open connections to finish, zero or more
 */
public record ServerConfig(
        InetAddress bind,
        int echoPort,
        TransportKind transport,
        int ioThreads,
        Duration shutdownGrace) {

    public static final int DEFAULT_ECHO_PORT = 9090;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    public ServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        requirePort("--echo-port", echoPort);
        if (ioThreads < 1) {
            throw new IllegalArgumentException("--io-threads: " + ioThreads + " (expected: >= 1)");
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("--shutdown-grace: " + shutdownGrace + " (expected: >= 0)");
        }
    }

    /** Settings for a server on loopback with an ephemeral port: what tests start. */
    public static ServerConfig loopback(TransportKind transport) {
        return new ServerConfig(InetAddress.getLoopbackAddress(), 0, transport, 2, Duration.ofSeconds(5));
    }

    public ServerConfig withShutdownGrace(Duration grace) {
        return new ServerConfig(bind, echoPort, transport, ioThreads, grace);
    }

    private static void requirePort(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + ": " + port + " (expected: 0..65535)");
        }
    }
}
