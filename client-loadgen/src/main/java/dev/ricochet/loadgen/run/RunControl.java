package dev.ricochet.loadgen.run;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/** The run's switch and its live connections, shared by every driver. */
final class RunControl {

    private final ChannelGroup channels = new DefaultChannelGroup("loadgen", GlobalEventExecutor.INSTANCE);
    private volatile boolean stopping;

    void opened(Channel channel) {
        channels.add(channel);
    }

    void closed(Channel channel) {
        channels.remove(channel);
    }

    boolean stopping() {
        return stopping;
    }

    /** Stops sending and closes every connection; replies still in flight are not counted. */
    void stop() {
        stopping = true;
        channels.close().awaitUninterruptibly();
    }
}
