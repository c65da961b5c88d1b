package dev.ricochet.server.metrics;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.Locale;

/**
 * Why a connection closed, for {@code ricochet_connections_closed_total{reason}}. Whoever
 * closes a connection on purpose marks it first; a connection closed without a mark was
 * closed by its client.
 */
public enum CloseReason {
    CLIENT, IDLE, ERROR, LIMIT,
    /** Finished by a drain with nothing owed (echo at a frame boundary, prime fully answered). */
    DRAINED,
    /** Closed with something still owed: at the end of the shutdown grace, or by a second signal. */
    SHUTDOWN,
    /** A plaintext port's client opened with a TLS ClientHello: it speaks TLS to the wrong port. */
    UNEXPECTED_TLS,
    /** A TLS port's handshake failed or timed out (ricochet_tls_handshakes_total says which way). */
    HANDSHAKE;

    private static final AttributeKey<CloseReason> KEY = AttributeKey.valueOf(CloseReason.class, "reason");

    /** Marks the channel, unless an earlier cause is already recorded. */
    public void markOn(Channel channel) {
        channel.attr(KEY).setIfAbsent(this);
    }

    static CloseReason of(Channel channel) {
        CloseReason reason = channel.attr(KEY).get();
        return reason != null ? reason : CLIENT;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
