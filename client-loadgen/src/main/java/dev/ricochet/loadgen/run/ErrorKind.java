package dev.ricochet.loadgen.run;

import java.util.Locale;

/** What went wrong with a connection or a request. */
public enum ErrorKind {
    /** The connection was refused (nothing listens, or the backlog is full). */
    REFUSED,
    /** A TCP connect or a reply took longer than its timeout. */
    TIMEOUT,
    /**
     * The TCP connect completed but the server's greeting did not come within
     * {@code --connect-timeout} of the connect's start. Typically the server never accepted the
     * connection: its accept queue overflowed, and with SYN cookies the kernel completes the
     * client's handshake and then drops the connection without a trace.
     */
    NO_GREETING,
    /** The server reset the connection. */
    RESET,
    /** A reply byte differs from what the protocol says it must be. */
    MISMATCH,
    /**
     * TLS failed: the handshake (an untrusted or expired certificate, a name that does not match,
     * an alert from the server, a handshake unfinished by {@code --connect-timeout}), or the
     * session after it. The report's error samples say which.
     */
    TLS,
    /** The server closed the connection before the run ended. */
    CLOSED_EARLY,
    /** Any other I/O failure. */
    OTHER;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
