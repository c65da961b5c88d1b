package dev.ricochet.server.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.TimeUnit;

/**
 * Sends a refusal and ends the connection without destroying the refusal: FIN at once, then
 * whatever the client still sends is discarded (by the decoder, which has stopped at the
 * fault) until it closes, or a second later. Closing with its bytes unread would reset the
 * connection, and a reset can destroy the response before the client reads it.
 */
final class LingeringClose {

    private static final long LINGER_MILLIS = 1_000;

    private LingeringClose() {
    }

    static void respondAndClose(ChannelHandlerContext ctx, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(written -> {
            if (written.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                ctx.close();
            }
        });
    }
}
