package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@code --max-connections} over every protocol: a connection beyond the limit is
 * closed as soon as it is accepted, before it is greeted or read. A full server warns at
 * most once every ten seconds, however many connections it turns away.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf(ConnectionLimiter.class, "counted");
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final RateLimitedWarning full = new RateLimitedWarning(log, 10_000_000_000L);

    /** @param max connections allowed at once, 0 for no limit */
    public ConnectionLimiter(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (max > 0 && open.incrementAndGet() > max) {
            open.decrementAndGet();
            CloseReason.LIMIT.markOn(ctx.channel());
            full.warn("Connection limit of {} reached: refused {} connection(s) since the last warning", max);
            ctx.close();
            return;
        }
        ctx.channel().attr(COUNTED).set(Boolean.TRUE);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (max > 0 && ctx.channel().attr(COUNTED).get() != null) {
            open.decrementAndGet();
        }
        ctx.fireChannelInactive();
    }
}
