package dev.ricochet.server.testing;

import dev.ricochet.server.Engines;
import dev.ricochet.server.config.EngineSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.transport.TransportKind;
import java.util.ArrayList;
import java.util.List;

/**
 * One engine (on one transport, for netty) that the protocol suites run against: every suite
 * is parameterized over these, so that no engine gets a copy of the protocol's tests.
 */
public record ServerUnderTest(EngineKind engine, TransportKind transport) {

    /** Netty on every transport this machine has, and every blocking engine. */
    public static List<ServerUnderTest> all() {
        List<ServerUnderTest> servers = new ArrayList<>();
        for (TransportKind transport : Transports.underTest()) {
            servers.add(new ServerUnderTest(EngineKind.NETTY, transport));
        }
        for (EngineKind engine : EngineKind.values()) {
            if (!engine.eventLoops()) {
                servers.add(new ServerUnderTest(engine, TransportKind.AUTO));
            }
        }
        return servers;
    }

    /** The engines that serve clients at the same time: all but sequential. */
    public static List<ServerUnderTest> concurrent() {
        return all().stream().filter(server -> server.engine() != EngineKind.SEQUENTIAL).toList();
    }

    /** One of each engine (netty on its default transport): for the suites that are not about transports. */
    public static List<ServerUnderTest> eachEngine() {
        return all().stream()
                .filter(server -> !server.engine().eventLoops() || server.equals(netty()))
                .toList();
    }

    /**
     * One server of each concurrency model: every engine (netty on its default transport), and
     * netty on poll, the select-like model beside epoll's (every wait scans every connection).
     * For the suites that are about what a model does, not about transports (drain, fuzz).
     */
    public static List<ServerUnderTest> eachModel() {
        List<ServerUnderTest> models = new ArrayList<>(eachEngine());
        ServerUnderTest poll = new ServerUnderTest(EngineKind.NETTY, TransportKind.POLL);
        if (all().contains(poll)) {
            models.add(1, poll);
        }
        return models;
    }

    public static ServerUnderTest netty() {
        return new ServerUnderTest(EngineKind.NETTY, Transports.underTest().get(0));
    }

    /** A loopback server of this engine with the suites' default settings. */
    public Engine start() throws Exception {
        return start(ServerConfig.loopback(transport));
    }

    /** A server of this engine with {@code base}'s other settings. */
    public Engine start(ServerConfig base) throws Exception {
        return start(base, ServerMetrics.disabled());
    }

    /** Started as the server starts its engine ({@link Engines}), on this case's engine and transport. */
    public Engine start(ServerConfig base, ServerMetrics metrics) throws Exception {
        return Engines.start(base.withEngine(EngineSettings.of(engine)).withEventLoops(e -> e.withTransport(transport)),
                metrics);
    }

    @Override
    public String toString() {
        return !engine.eventLoops() ? engine.cliName() : engine.cliName() + "/" + transport.cliName();
    }
}
