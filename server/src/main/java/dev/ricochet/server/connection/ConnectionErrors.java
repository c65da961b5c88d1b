package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose I/O failed: what the last handler of every protocol's pipeline
 * does with {@code exceptionCaught} (an error handler of its own would cost every connection
 * one more handler context). A peer that resets or vanishes is an ordinary event of a network
 * server and is logged at DEBUG; anything else is a bug or a resource problem and is logged at
 * WARN, at most once every ten seconds. The address logged is the client's, the one its PROXY
 * protocol header gave behind a load balancer ({@link ClientAddress}).
 */
public final class ConnectionErrors {

    private static final Logger log = LoggerFactory.getLogger(ConnectionErrors.class);
    private static final RateLimitedWarning unexpected = new RateLimitedWarning(log, 10_000_000_000L);
    private static final RateLimitedWarning outOfDirectMemory = new RateLimitedWarning(log, 10_000_000_000L);

    private ConnectionErrors() {
    }

    /** Logs {@code cause} as said above, marks the connection closed by an error and closes it. */
    public static void close(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("Connection {} failed: {}", ClientAddress.of(ctx.channel()), cause.toString());
        } else if (isOutOfDirectMemory(cause)) {
            // Only the connection whose buffer could not be allocated pays; the process goes on.
            log.debug("Connection {} closed: out of direct memory", ClientAddress.of(ctx.channel()), cause);
            outOfDirectMemory.warn("Connection closed: out of direct memory ({}); raise -XX:MaxDirectMemorySize"
                    + " or lower the connections per pod ({} connection(s) closed since the last warning)",
                    cause.getMessage());
        } else {
            // The stack trace goes to DEBUG; WARN says what happened at most every 10 s.
            log.debug("Connection {} closed after an unexpected error", ClientAddress.of(ctx.channel()), cause);
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
