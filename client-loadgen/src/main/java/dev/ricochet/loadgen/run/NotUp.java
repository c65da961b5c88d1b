package dev.ricochet.loadgen.run;

import java.util.Locale;

/** Where a connection that was not up when the measurement ended stood. */
public enum NotUp {
    /** Connected over TCP, its greeting not come yet. */
    AWAITING_GREETING,
    /** Its TCP connect under way. */
    CONNECTING,
    /** Its last connection, or its last attempt, failed; waiting out the backoff. */
    WAITING_TO_RECONNECT;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
