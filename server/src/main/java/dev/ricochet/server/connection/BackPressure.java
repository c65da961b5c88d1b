package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.ConnectionMetrics;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stops reading from a connection while its outbound buffer is above the high-water mark and
 * resumes once it drains below the low one, so that a client that sends but never reads can
 * make the server hold at most about one buffer's worth of replies for it.
 *
 * <p>Netty reports the writability change synchronously from the write that crosses the
 * mark, so reading stops before the next read of the same batch.
 */
public final class BackPressure {

    private final LongAdder pauses = new LongAdder();
    private final ConnectionMetrics metrics;

    public BackPressure(ConnectionMetrics metrics) {
        this.metrics = metrics;
    }

    void writabilityChanged(Channel channel) {
        if (channel.isWritable()) {
            ReadGate.open(channel, ReadGate.Reason.UNWRITABLE);
        } else {
            pauses.increment();
            metrics.backPressurePaused();
            ReadGate.close(channel, ReadGate.Reason.UNWRITABLE);
        }
    }

    /** How many times a connection of this protocol has been paused since the server started. */
    public long pauses() {
        return pauses.sum();
    }
}
