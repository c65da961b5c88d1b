package dev.ricochet.server.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where the two protocols listen.
 *
 * @param echoPort  echo protocol port ({@code --echo-port}; 0: any free port, for tests)
 * @param primePort prime protocol port ({@code --prime-port}), another than the echo port's
 * @param bind      address both listeners bind to ({@code --bind})
 * @param reusePort whether the listeners share their ports with other processes that ask for
 *                  it too ({@code --reuse-port}, SO_REUSEPORT): replicas on one host, and a
 *                  rolling restart that starts the new process before the old one stops
 * @param proxyProtocol whether connections start with a PROXY protocol header
 *                  ({@code --proxy-protocol})
 */
public record ListenerSettings(int echoPort, int primePort, InetAddress bind, boolean reusePort,
        ProxyProtocolSettings proxyProtocol) {

    static final ServerOption<Integer> ECHO_PORT = ServerOption.port("--echo-port", 9090,
            "Echo protocol port (0: any free port).");
    static final ServerOption<Integer> PRIME_PORT = ServerOption.port("--prime-port", 8070, "Prime protocol port.");
    static final ServerOption<String> BIND = ServerOption.address("--bind", "0.0.0.0",
            "Address the listeners bind to.").defaultShownAs("0.0.0.0 (every IPv4 interface)");
    static final ServerOption<Boolean> REUSE_PORT = ServerOption.bool("--reuse-port", false,
            "Share the echo and prime ports with other server processes on this host that set it too"
                    + " (SO_REUSEPORT): the kernel spreads new connections over them, as a Service does over"
                    + " replicas, and a new process can start before the old one stops (docs/operations.md,"
                    + " rolling restart). The admin port stays one per process.");
    static final List<ServerOption<?>> OPTIONS = Stream.concat(Stream.of(ECHO_PORT, PRIME_PORT, BIND, REUSE_PORT),
            ProxyProtocolSettings.OPTIONS.stream()).toList();

    public ListenerSettings {
        ECHO_PORT.require(echoPort);
        PRIME_PORT.require(primePort);
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        if (echoPort != 0 && echoPort == primePort) {
            throw new IllegalArgumentException("--prime-port: " + primePort
                    + " (expected: a port other than --echo-port)");
        }
    }

    public ListenerSettings withPorts(int echo, int prime) {
        return new ListenerSettings(echo, prime, bind, reusePort, proxyProtocol);
    }

    public ListenerSettings withReusePort(boolean reuse) {
        return new ListenerSettings(echoPort, primePort, bind, reuse, proxyProtocol);
    }

    public ListenerSettings withProxyProtocol(ProxyProtocolSettings proxy) {
        return new ListenerSettings(echoPort, primePort, bind, reusePort, proxy);
    }

    /** Whether {@code port} is one of the listeners' fixed ports (0, any free port, never is). */
    boolean uses(int port) {
        return port != 0 && (port == echoPort || port == primePort);
    }

    static ListenerSettings from(OptionValues options) {
        return new ListenerSettings(options.value(ECHO_PORT), options.value(PRIME_PORT),
                options.address(BIND), options.value(REUSE_PORT), ProxyProtocolSettings.from(options));
    }
}
