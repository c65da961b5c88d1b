package dev.ricochet.server.testing;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.NettyEngine;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.tls.ServerTls;
import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.server.transport.TransportSelector;

/** Starts a real server on a loopback ephemeral port. */
public final class TestServer {

    private TestServer() {
    }

    public static NettyEngine start(TransportKind kind) throws Exception {
        return start(ServerConfig.loopback(kind));
    }

    public static NettyEngine start(ServerConfig config) throws Exception {
        return start(config, ServerMetrics.disabled());
    }

    public static NettyEngine start(ServerConfig config, ServerMetrics metrics) throws Exception {
        return NettyEngine.start(config, TransportSelector.select(config.eventLoops().transport()),
                ServerTls.load(config.tls()), metrics);
    }
}
