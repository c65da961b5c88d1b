package dev.ricochet.server;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.engine.NettyEngine;
import dev.ricochet.server.engine.blocking.BlockingEngine;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.tls.JsseTls;
import dev.ricochet.server.tls.ServerTls;
import dev.ricochet.server.tls.TlsSetupException;
import dev.ricochet.server.transport.Transport;
import dev.ricochet.server.transport.TransportSelector;
import dev.ricochet.server.transport.TransportUnavailableException;

/**
 * The one place that knows which engine runs each {@code --engine}: a new engine is one case
 * here. It sits above every engine's package, beside {@link Main}: the engines build on
 * package {@code engine} ({@code Engine}, {@code ShutdownSequence}), so a factory there that
 * named them would make the packages depend on each other.
 *
 * <p>Starting takes two steps so that what the machine lacks is told before anything runs:
 * {@link #prepare} checks (the event-loop engine's transport), {@link Starter#start} binds.
 */
public final class Engines {

    /** An engine whose needs this machine meets, not started yet. */
    @FunctionalInterface
    public interface Starter {

        /**
         * Binds the listeners and starts serving.
         *
         * @throws Exception when a port cannot be bound ({@link java.io.IOException}, or a
         *                   {@link java.net.BindException} that Netty throws undeclared)
         */
        Engine start(ServerMetrics metrics) throws Exception;
    }

    private Engines() {
    }

    /**
     * Chooses the engine {@code config} asks for, and what it needs from this machine.
     *
     * @param tls {@code config.tls()} loaded ({@link ServerTls#load}): the caller closes it
     * @throws TransportUnavailableException when the event-loop engine's transport was asked
     *                                       for by name and does not load here
     * @throws TlsSetupException             when a blocking engine's JSSE refuses the certificate
     */
    public static Starter prepare(ServerConfig config, ServerTls tls)
            throws TransportUnavailableException, TlsSetupException {
        return switch (config.engine().kind()) {
            case NETTY -> {
                Transport transport = TransportSelector.select(config.eventLoops().transport());
                yield metrics -> NettyEngine.start(config, transport, tls, metrics);
            }
            case SEQUENTIAL, THREAD_PER_CONNECTION, THREAD_POOL, VIRTUAL_THREADS -> {
                // JSSE sockets whatever the provider: the engine closes them when it stops.
                JsseTls jsse = tls.enabled() ? tls.forBlockingEngine() : null;
                yield metrics -> BlockingEngine.start(config, jsse, metrics);
            }
        };
    }

    /**
     * {@link #prepare} and {@link Starter#start} in one, TLS loaded from {@code config} and never
     * reloaded: for callers that start at once (tests).
     */
    public static Engine start(ServerConfig config, ServerMetrics metrics) throws Exception {
        return prepare(config, ServerTls.load(config.tls())).start(metrics);
    }
}
