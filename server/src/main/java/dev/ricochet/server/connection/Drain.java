package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.AttributeKey;

/**
 * The server's open connections and their drain. When the drain starts, each connection
 * receives the user event {@link #STARTED} and its protocol decides when it owes nothing more
 * (echo: at the next frame boundary; prime: once every request read is answered), then calls
 * {@link #finish}. A connection that joins after the drain started, accepted just before
 * the listeners closed, gets the event too.
 */
public final class Drain {

    /** The user event that tells a connection's protocol handlers to finish. */
    public static final Object STARTED = new Object() {
        @Override
        public String toString() {
            return "Drain.STARTED";
        }
    };

    private static final AttributeKey<Boolean> FINISHED = AttributeKey.valueOf(Drain.class, "finished");

    private final ChannelGroup connections;
    private volatile boolean started;

    /** @param connections every accepted connection joins it */
    public Drain(ChannelGroup connections) {
        this.connections = connections;
    }

    /** Tracks a new connection; tells it at once when the drain has already started. */
    void track(Channel channel) {
        connections.add(channel);
        // After the add: either start() sees this channel in the group, or this sees started.
        if (started) {
            // Registration is under way on this thread: the event follows channelActive.
            channel.eventLoop().execute(() -> channel.pipeline().fireUserEventTriggered(STARTED));
        }
    }

    /** Tells every open connection to finish; calling it again does nothing more. */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        for (Channel channel : connections) {
            channel.pipeline().fireUserEventTriggered(STARTED); // runs on the channel's event loop
        }
    }

    /** How many open connections have not finished yet: they still owe replies or are mid-frame. */
    public int unfinished() {
        int count = 0;
        for (Channel channel : connections) {
            if (!isFinished(channel)) {
                count++;
            }
        }
        return count;
    }

    /** Whether everything owed has left the server and its FIN with it (not merely asked to). */
    static boolean isFinished(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(FINISHED).get());
    }

    /**
     * Ends a conversation that owes nothing more, the {@link OrderlyClose} way: flushes what is
     * written, then FIN, then discards what the client still sends until it closes (or the
     * grace ends, or the lingering bounds close it).
     */
    public static void finish(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        // FALSE while the owed replies are still being flushed (a slow reader may take long,
        // or never: then the grace cuts it, and it counts as still owing); TRUE once sent.
        if (channel.attr(FINISHED).setIfAbsent(Boolean.FALSE) != null) {
            return;
        }
        OrderlyClose.finish(ctx, () -> {
            channel.attr(FINISHED).set(Boolean.TRUE);
            CloseReason.DRAINED.markOn(channel);
        });
    }
}
