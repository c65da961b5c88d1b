package dev.ricochet.server.metrics;

import java.util.Locale;

/** Why a connection was refused for its PROXY protocol header, for {@code ricochet_proxy_protocol_refused_total{reason}}. */
public enum ProxyHeaderRefusal {
    /** Its first bytes are no PROXY header, or the header is malformed or too long. */
    INVALID,
    /** The whole header did not arrive within {@code --proxy-protocol-timeout}. */
    TIMEOUT,
    /** The client closed before its header was complete. */
    CLOSED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
