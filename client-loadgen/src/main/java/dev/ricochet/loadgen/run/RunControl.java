package dev.ricochet.loadgen.run;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The run's switch and its live connections, shared by every driver. */
final class RunControl {

    private final ChannelGroup channels = new DefaultChannelGroup("loadgen", GlobalEventExecutor.INSTANCE);
    private final Map<EventExecutor, SendClock> clocks = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    void opened(Channel channel) {
        channels.add(channel);
    }

    void closed(Channel channel) {
        channels.remove(channel);
    }

    /** The send clock of an event loop; called on that loop. */
    SendClock clockOf(EventExecutor loop) {
        return clocks.computeIfAbsent(loop, SendClock::new);
    }

    boolean stopping() {
        return stopping;
    }

    /** Stops sending, reconnecting and counting failures: the measurement is over. */
    void stopSending() {
        stopping = true;
    }

    /** Stops sending and closes every connection; replies still in flight are not counted. */
    void stop() {
        stopping = true;
        clocks.values().forEach(SendClock::stop);
        channels.close().awaitUninterruptibly();
    }
}
