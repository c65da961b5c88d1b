package dev.ricochet.server.connection;

import io.netty.channel.Channel;
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

    private static ReadGate of(Channel channel) {
        ReadGate gate = channel.attr(KEY).get();
        if (gate == null) {
            gate = new ReadGate();
            channel.attr(KEY).set(gate);
        }
        return gate;
    }

    private void set(Channel channel, Reason reason, boolean closed) {
        int bit = 1 << reason.ordinal();
        closedBy = closed ? closedBy | bit : closedBy & ~bit;
        boolean read = closedBy == 0;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }
}
