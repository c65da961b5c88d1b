package dev.ricochet.server.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Aggregates admin requests, and refuses one whose body is too large with 413 and a close.
 * Netty's own answer keeps a kept-alive connection open to skip the body, however large it
 * says it is; no admin endpoint takes a body, so there is nothing to keep it open for.
 */
final class AdminRequestAggregator extends HttpObjectAggregator {

    private final AdminWarnings warnings;

    AdminRequestAggregator(int maxContentLength, AdminWarnings warnings) {
        super(maxContentLength);
        this.warnings = warnings;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        warnings.badRequest.warn("Admin request from {} refused with 413: body over {} bytes"
                + " ({} since the last warning)", ctx.channel().remoteAddress(), maxContentLength());
        LingeringClose.respondAndClose(ctx, AdminHandler.refusal(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE));
    }
}
