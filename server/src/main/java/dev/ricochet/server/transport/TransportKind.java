package dev.ricochet.server.transport;

import java.util.Locale;

/** The transports a user may ask for with {@code --transport}. */
public enum TransportKind {
    /** Native epoll on Linux when it loads, NIO otherwise. io_uring is never chosen unasked. */
    AUTO,
    EPOLL,
    IO_URING,
    NIO;

    /** The name used on the command line and in logs. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
