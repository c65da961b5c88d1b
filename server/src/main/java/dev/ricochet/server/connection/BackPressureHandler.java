package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.ConnectionMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stops reading from a connection while its outbound buffer is above the high-water mark and
 * resumes once it drains below the low one, so that a client that sends but never reads can
 * make the server hold at most about one buffer's worth of replies for it.
 *
 * <p>Netty reports the writability change synchronously from the write that crosses the
 * mark, so reading stops before the next read of the same batch. Place it first in the
 * pipeline: writability events travel from the head.
 */
@Sharable
public final class BackPressureHandler extends ChannelInboundHandlerAdapter {

    private final LongAdder pauses = new LongAdder();
    private final ConnectionMetrics metrics;

    public BackPressureHandler(ConnectionMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        if (!writable) {
            pauses.increment();
            metrics.backPressurePaused();
        }
        if (writable) {
            ReadGate.open(ctx.channel(), ReadGate.Reason.UNWRITABLE);
        } else {
            ReadGate.close(ctx.channel(), ReadGate.Reason.UNWRITABLE);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** How many times a connection of this protocol has been paused since the server started. */
    public long pauses() {
        return pauses.sum();
    }
}
