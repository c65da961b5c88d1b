package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of every pipeline: closes a connection whose I/O failed. A peer that resets
 * or vanishes is an ordinary event of a network server and is logged at DEBUG; anything else
 * is a bug or a resource problem and is logged at WARN, at most once every ten seconds.
 */
@Sharable
public final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionErrorHandler.class);
    private static final RateLimitedWarning unexpected = new RateLimitedWarning(log, 10_000_000_000L);
    private static final RateLimitedWarning outOfDirectMemory = new RateLimitedWarning(log, 10_000_000_000L);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else if (isOutOfDirectMemory(cause)) {
            // Only the connection whose buffer could not be allocated pays; the process goes on.
            log.debug("Connection {} closed: out of direct memory", ctx.channel().remoteAddress(), cause);
            outOfDirectMemory.warn("Connection closed: out of direct memory ({}); raise -XX:MaxDirectMemorySize"
                    + " or lower the connections per pod ({} connection(s) closed since the last warning)",
                    cause.getMessage());
        } else {
            // The stack trace goes to DEBUG; WARN says what happened at most every 10 s.
            log.debug("Connection {} closed after an unexpected error", ctx.channel().remoteAddress(), cause);
            unexpected.warn("Connection closed after an unexpected error: {} ({} such error(s) since the last warning)",
                    cause.toString());
        }
        CloseReason.ERROR.markOn(ctx.channel());
        ctx.close();
    }

    /** Netty's own budget (io.netty.util.internal.OutOfDirectMemoryError) or the JDK's. */
    private static boolean isOutOfDirectMemory(Throwable cause) {
        return cause instanceof OutOfMemoryError
                && (cause.getClass().getName().endsWith("OutOfDirectMemoryError")
                        || String.valueOf(cause.getMessage()).contains("direct buffer memory"));
    }
}
