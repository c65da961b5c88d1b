package dev.ricochet.server.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one way a connection ends once its protocol owes nothing more (a drain, a line too long):
 * what was written is flushed, then FIN is sent, and whatever the client still sends is read
 * and discarded until it closes its side. Closing at once, with the client's bytes unread,
 * would send a reset, and a reset makes the client's kernel throw away the replies it has
 * not read yet: the very replies the connection was kept open for.
 *
 * <p>Discarding is bounded, for every engine: after the FIN the connection is closed once the
 * client has sent nothing for {@link #LINGER_SILENCE} (a client that stopped sending will not
 * be reset by the close, and a late segment has had a few retransmission timeouts to come),
 * or {@link #LINGER_LIMIT} after the FIN at the latest (one that never stops cannot hold the
 * connection): nginx's {@code lingering_timeout} and {@code lingering_time}.
 */
public final class OrderlyClose {

    public static final Duration LINGER_SILENCE = Duration.ofSeconds(5);
    public static final Duration LINGER_LIMIT = Duration.ofSeconds(30);

    private OrderlyClose() {
    }

    /**
     * Flushes, sends FIN and discards input until the client closes (or the bounds above).
     * From this call on, the protocol's handlers read nothing more.
     */
    public static void finish(ChannelHandlerContext ctx) {
        finish(ctx, null);
    }

    /**
     * As {@link #finish(ChannelHandlerContext)}.
     *
     * @param flushed runs once everything written before has been flushed, just before the
     *                FIN (or the close); null for nothing
     */
    public static void finish(ChannelHandlerContext ctx, Runnable flushed) {
        Channel channel = ctx.channel();
        boolean inputOpen = channel instanceof DuplexChannel duplex && !duplex.isInputShutdown();
        DiscardUntilClosed discard = inputOpen ? DiscardUntilClosed.installIn(channel.pipeline()) : null;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                return; // the connection failed; its close says why
            }
            if (flushed != null) {
                flushed.run();
            }
            if (discard != null && !((DuplexChannel) channel).isInputShutdown()) {
                ((DuplexChannel) channel).shutdownOutput();
                discard.finSent();
            } else {
                channel.close(); // the client has closed its side already: nothing to wait for
            }
        });
    }

    /**
     * Right after the connection's guard (which still counts the bytes), in front of the
     * protocol: reads everything, keeps nothing, and closes the connection when the client
     * does, or when the lingering bounds say so. Reading stays on whatever paused it before.
     */
    private static final class DiscardUntilClosed extends ChannelInboundHandlerAdapter {

        private ChannelHandlerContext ctx;
        private ScheduledFuture<?> check;
        private long finSentAt;
        private boolean heard;

        static DiscardUntilClosed installIn(ChannelPipeline pipeline) {
            DiscardUntilClosed discard = new DiscardUntilClosed();
            ChannelHandlerContext guard = pipeline.context(ConnectionGuard.class);
            if (guard != null) {
                pipeline.addAfter(guard.name(), "discard-until-closed", discard);
            } else {
                pipeline.addFirst("discard-until-closed", discard);
            }
            ReadGate.readToTheEnd(pipeline.channel());
            return discard;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void finSent() {
            finSentAt = System.nanoTime();
            scheduleCheck();
        }

        private void scheduleCheck() {
            check = ctx.executor().schedule(this::closeWhenSilent, LINGER_SILENCE.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void closeWhenSilent() {
            if (!heard || System.nanoTime() - finSentAt >= LINGER_LIMIT.toNanos()) {
                ctx.close();
            } else {
                heard = false;
                scheduleCheck();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            heard = true;
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // Nothing reached the protocol, so it has nothing to complete.
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ctx.close(); // the client has read what it wanted and closed: so do we
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (check != null) {
                check.cancel(false);
            }
            ctx.fireChannelInactive();
        }
    }
}
