package dev.ricochet.server.testing;

import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.server.transport.TransportSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The transports integration tests run on: NIO everywhere, epoll on Linux, io_uring where it loads. */
public final class Transports {

    private Transports() {
    }

    /**
     * On Linux epoll is always included, so a machine where it fails to load fails the tests
     * instead of silently testing NIO twice.
     */
    public static List<TransportKind> underTest() {
        List<TransportKind> kinds = new ArrayList<>();
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            kinds.add(TransportKind.EPOLL);
        }
        kinds.add(TransportKind.NIO);
        if (TransportSelector.isAvailable(TransportKind.IO_URING)) {
            kinds.add(TransportKind.IO_URING);
        }
        return kinds;
    }
}
