package dev.ricochet.server.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Caps the admin connections open at once. At the cap, a new connection replaces the oldest
 * one rather than being refused: admin requests take microseconds, so the oldest connection
 * is almost always one that sends slowly or sits idle, and refusing newcomers instead would
 * let a few hundred slow clients lock the probes out until their deadline.
 *
 * <p>One per admin server, whose single event loop serves every admin connection: the set
 * is confined to that thread and needs no lock.
 */
@Sharable
final class AdminConnectionLimit extends ChannelInboundHandlerAdapter {

    private final int max;
    private final AdminWarnings warnings;
    private final Set<Channel> open = new LinkedHashSet<>();

    AdminConnectionLimit(int max, AdminWarnings warnings) {
        this.max = max;
        this.warnings = warnings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.size() >= max) {
            Channel oldest = open.iterator().next();
            open.remove(oldest);
            warnings.full.warn("Admin connection limit of {} reached: closed the oldest, from {}"
                    + " ({} since the last warning)", max, oldest.remoteAddress());
            oldest.close();
        }
        open.add(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.remove(ctx.channel());
        ctx.fireChannelInactive();
    }
}
