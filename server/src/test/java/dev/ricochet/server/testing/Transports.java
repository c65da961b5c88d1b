package dev.ricochet.server.testing;

import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.server.transport.TransportSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The transports integration tests run on: NIO everywhere, epoll and poll on Linux, io_uring
 * where it loads.
 */
public final class Transports {

    private Transports() {
    }

    /**
     * On Linux epoll and poll are always included (the JDK there has a poll selector), so a
     * machine where one fails to load fails the tests instead of silently testing NIO twice.
     */
    public static List<TransportKind> underTest() {
        List<TransportKind> kinds = new ArrayList<>();
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        if (linux) {
            kinds.add(TransportKind.EPOLL);
        }
        kinds.add(TransportKind.NIO);
        if (linux) {
            kinds.add(TransportKind.POLL);
        }
        if (TransportSelector.isAvailable(TransportKind.IO_URING)) {
            kinds.add(TransportKind.IO_URING);
        }
        return kinds;
    }
}
