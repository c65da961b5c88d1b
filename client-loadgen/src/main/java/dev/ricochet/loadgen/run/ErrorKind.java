package dev.ricochet.loadgen.run;

import java.util.Locale;

/** What went wrong with a connection or a request. */
public enum ErrorKind {
    /** The connection was refused (nothing listens, or the backlog is full). */
    REFUSED,
    /** A connect, a greeting or a reply took longer than its timeout. */
    TIMEOUT,
    /** The server reset the connection. */
    RESET,
    /** A reply byte differs from what the protocol says it must be. */
    MISMATCH,
    /** The server closed the connection before the run ended. */
    CLOSED_EARLY,
    /** Any other I/O failure. */
    OTHER;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
