package dev.ricochet.server.connection;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.AttributeKey;

/**
 * The one owner of a connection's auto-read flag. Several handlers may each have a reason
 * to stop reading (replies not written, too many requests unanswered); the connection is
 * read again only when none of them holds it closed. Event-loop confined.
 */
public final class ReadGate {

    /** Why reading is paused. */
    public enum Reason {
        /** The outbound buffer is above its high-water mark. */
        UNWRITABLE,
        /** Too many requests wait for their answers. */
        BACKLOG
    }

    private static final AttributeKey<ReadGate> KEY = AttributeKey.valueOf(ReadGate.class, "gate");

    private int closedBy;
    private boolean toTheEnd;

    private ReadGate() {
    }

    /** Stops reading for {@code reason} (until {@link #open} with the same reason). */
    public static void close(Channel channel, Reason reason) {
        of(channel).set(channel, reason, true);
    }

    /** Lifts {@code reason}; reading resumes once no reason is left. */
    public static void open(Channel channel, Reason reason) {
        of(channel).set(channel, reason, false);
    }

    /**
     * Reads from now on whatever the reasons say, until the client closes: for a connection
     * that only discards what it still receives ({@link OrderlyClose}).
     */
    static void readToTheEnd(Channel channel) {
        ReadGate gate = of(channel);
        gate.toTheEnd = true;
        gate.apply(channel);
    }

    private static ReadGate of(Channel channel) {
        ReadGate gate = channel.attr(KEY).get();
        if (gate == null) {
            gate = new ReadGate();
            channel.attr(KEY).set(gate);
        }
        return gate;
    }

    private static boolean inputShutdown(Channel channel) {
        return channel instanceof DuplexChannel duplex && duplex.isInputShutdown();
    }

    private void set(Channel channel, Reason reason, boolean closed) {
        int bit = 1 << reason.ordinal();
        closedBy = closed ? closedBy | bit : closedBy & ~bit;
        apply(channel);
    }

    private void apply(Channel channel) {
        // Never again once the client has shut its output: there is nothing left to read, and
        // epoll refuses to watch for input on such a socket (epoll_ctl fails with ENOENT), an
        // error that would close the connection with replies still owed.
        boolean read = (closedBy == 0 || toTheEnd) && !inputShutdown(channel);
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }
}
