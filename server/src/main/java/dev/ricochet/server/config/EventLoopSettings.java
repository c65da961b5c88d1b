package dev.ricochet.server.config;

import dev.ricochet.cli.Range;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.transport.TransportKind;
import java.util.List;
import java.util.Objects;

/**
 * The event loops of an engine that has them ({@link EngineKind#eventLoops()}).
 *
 * @param transport the requested transport ({@code --transport})
 * @param threads   event loops serving connections ({@code --io-threads})
 */
public record EventLoopSettings(TransportKind transport, int threads) {

    static final ServerOption<TransportKind> TRANSPORT = ServerOption.choice("--transport", "KIND",
            TransportKind.class, TransportKind::cliName, "auto",
            "auto, epoll, io_uring, nio or poll. auto takes native epoll when it loads, NIO otherwise; io_uring only"
                    + " when asked for; poll is NIO on the JDK's poll(2) selector (every wait scans every connection),"
                    + " to compare with epoll.")
            .onlyFor(EngineKind::eventLoops, "blocking sockets, no event-loop transport");
    static final ServerOption<Integer> THREADS = ServerOption.number("--io-threads", Range.between(1, 1024),
            ServerOption::cores, "the number of CPU cores", "Event loop threads serving connections.")
            .onlyFor(EngineKind::eventLoops, "no event loops");
    static final List<ServerOption<?>> OPTIONS = List.of(TRANSPORT, THREADS);

    public EventLoopSettings {
        Objects.requireNonNull(transport, "transport");
        THREADS.require(threads);
    }

    public EventLoopSettings withTransport(TransportKind transport) {
        return new EventLoopSettings(transport, threads);
    }

    static EventLoopSettings from(OptionValues options) {
        return new EventLoopSettings(options.value(TRANSPORT), options.value(THREADS));
    }
}
