package dev.ricochet.server.transport;

import java.util.Locale;

/** The transports a user may ask for with {@code --transport}. */
public enum TransportKind {
    /** Native epoll on Linux when it loads, NIO otherwise. io_uring and poll are never chosen unasked. */
    AUTO,
    EPOLL,
    IO_URING,
    /** Netty's NIO on the JDK's default selector (epoll on Linux). */
    NIO,
    /**
     * Netty's NIO on the JDK's poll(2) selector: the select-like model, where every wait hands
     * the kernel every descriptor and scans them all for the ready ones. For comparison only.
     */
    POLL;

    /** The name used on the command line and in logs. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
