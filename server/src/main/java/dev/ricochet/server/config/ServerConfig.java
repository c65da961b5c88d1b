package dev.ricochet.server.config;

import dev.ricochet.server.transport.TransportKind;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The server's settings, validated and immutable: one small record per concern, each holding
 * the options that fill it ({@link ServerOption}), so that no two settings of the same type sit
 * side by side where a swap would still compile.
 *
 * @param engine      the concurrency model serving the connections
 * @param processes   whether this process serves, or is the master of worker processes that do
 * @param listeners   where the echo and prime protocols listen
 * @param eventLoops  the event loops, for an engine that has them
 * @param shutdown    how the server stops on SIGTERM
 * @param prime       how prime requests are read and computed
 * @param admin       the admin HTTP server, its port another than the listeners'
 * @param connections what every connection is held to
 * @param tls         TLS on the ports, or plaintext
 * @param logging     how the logs are written
 */
public record ServerConfig(
        EngineSettings engine,
        ProcessSettings processes,
        ListenerSettings listeners,
        EventLoopSettings eventLoops,
        ShutdownSettings shutdown,
        PrimeSettings prime,
        AdminSettings admin,
        ConnectionSettings connections,
        TlsSettings tls,
        LoggingSettings logging) {

    /** Every option of {@code ricochet server}, in the order of its help. */
    static final List<ServerOption<?>> OPTIONS = Stream.of(EngineSettings.OPTIONS, ProcessSettings.OPTIONS,
            ListenerSettings.OPTIONS,
            EventLoopSettings.OPTIONS, ShutdownSettings.OPTIONS, PrimeSettings.OPTIONS, AdminSettings.OPTIONS,
            ConnectionSettings.OPTIONS, TlsSettings.OPTIONS, LoggingSettings.OPTIONS).flatMap(List::stream).toList();

    public ServerConfig {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(eventLoops, "eventLoops");
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(prime, "prime");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(logging, "logging");
        if (listeners.uses(admin.port())) {
            throw new IllegalArgumentException("--admin-port: " + admin.port()
                    + " (expected: a port other than --echo-port and --prime-port)");
        }
    }

    /**
     * Settings for a server on loopback with ephemeral ports, two event loops and two offload
     * threads, which stops at once and drains for 5 s; every other option at its default: what
     * tests start.
     */
    public static ServerConfig loopback(TransportKind transport) {
        String loopback = InetAddress.getLoopbackAddress().getHostAddress();
        return from(OptionValues.defaults()
                .with(ListenerSettings.ECHO_PORT, 0).with(ListenerSettings.PRIME_PORT, 0)
                .with(ListenerSettings.BIND, loopback)
                .with(EventLoopSettings.TRANSPORT, transport).with(EventLoopSettings.THREADS, 2)
                .with(ShutdownSettings.DELAY, Duration.ZERO).with(ShutdownSettings.GRACE, Duration.ofSeconds(5))
                .with(PrimeSettings.OFFLOAD_THREADS, 2)
                .with(AdminSettings.PORT, 0).with(AdminSettings.BIND, loopback));
    }

    /** The settings {@code options} give. */
    static ServerConfig from(OptionValues options) {
        return new ServerConfig(EngineSettings.from(options), ProcessSettings.from(options),
                ListenerSettings.from(options),
                EventLoopSettings.from(options), ShutdownSettings.from(options), PrimeSettings.from(options),
                AdminSettings.from(options), ConnectionSettings.from(options), TlsSettings.from(options),
                LoggingSettings.from(options));
    }

    public ServerConfig withEngine(EngineSettings engine) {
        return new ServerConfig(engine, processes, listeners, eventLoops, shutdown, prime, admin, connections, tls, logging);
    }

    public ServerConfig withListeners(UnaryOperator<ListenerSettings> change) {
        return new ServerConfig(engine, processes, change.apply(listeners), eventLoops, shutdown, prime, admin, connections, tls, logging);
    }

    public ServerConfig withEventLoops(UnaryOperator<EventLoopSettings> change) {
        return new ServerConfig(engine, processes, listeners, change.apply(eventLoops), shutdown, prime, admin, connections, tls, logging);
    }

    public ServerConfig withPrime(UnaryOperator<PrimeSettings> change) {
        return new ServerConfig(engine, processes, listeners, eventLoops, shutdown, change.apply(prime), admin, connections, tls, logging);
    }

    public ServerConfig withTls(UnaryOperator<TlsSettings> change) {
        return new ServerConfig(engine, processes, listeners, eventLoops, shutdown, prime, admin, connections, change.apply(tls), logging);
    }

    public ServerConfig withConnections(UnaryOperator<ConnectionSettings> change) {
        return new ServerConfig(engine, processes, listeners, eventLoops, shutdown, prime, admin, change.apply(connections), tls, logging);
    }
}
