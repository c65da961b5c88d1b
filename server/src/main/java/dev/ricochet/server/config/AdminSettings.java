package dev.ricochet.server.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The admin HTTP server: /metrics, /health/live, /health/ready.
 *
 * @param port    its port ({@code --admin-port})
 * @param bind    the address it binds to ({@code --admin-bind})
 * @param metrics whether metrics are recorded and served ({@code --metrics})
 */
public record AdminSettings(int port, InetAddress bind, boolean metrics) {

    static final ServerOption<Integer> PORT = ServerOption.port("--admin-port", 8080,
            "Admin HTTP port: /metrics, /health/live, /health/ready.");
    static final ServerOption<String> BIND = ServerOption.address("--admin-bind", "0.0.0.0",
            "Address the admin HTTP server binds to.");
    static final ServerOption<Boolean> METRICS = ServerOption.bool("--metrics", true,
            "Record metrics and serve them on /metrics (true or false).");
    static final List<ServerOption<?>> OPTIONS = List.of(PORT, BIND, METRICS);

    public AdminSettings {
        PORT.require(port);
        Objects.requireNonNull(bind, "adminBind");
    }

    static AdminSettings from(OptionValues options) {
        return new AdminSettings(options.value(PORT), options.address(BIND), options.value(METRICS));
    }
}
