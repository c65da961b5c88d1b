package dev.ricochet.server.admin;

import dev.ricochet.server.metrics.MetricsPage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * Serves {@code GET /metrics}, {@code /health/live} and {@code /health/ready} (HEAD too),
 * asked in origin or absolute form ({@link RequestTarget}); 404 for any other path, 405 for
 * any other method on these, 400 for an absolute target that is no http URI. One per
 * connection: while its page is rendered off the event loop ({@link MetricsScraper}), a
 * connection's next requests wait, so that responses keep their requests' order.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Set<String> PATHS = Set.of("/metrics", "/health/live", "/health/ready");
    private static final String TEXT = "text/plain; charset=utf-8";

    private final MetricsPage metrics;
    private final Readiness readiness;
    private final AdminWarnings warnings;
    private final MetricsScraper scraper;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean scraping;

    AdminHandler(MetricsPage metrics, Readiness readiness, AdminWarnings warnings, MetricsScraper scraper) {
        this.metrics = metrics;
        this.readiness = readiness;
        this.warnings = warnings;
        this.scraper = scraper;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (scraping) {
            waiting.add(request.retain()); // pipelined behind a scrape: answered after it
            return;
        }
        serve(ctx, request);
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            refuse(ctx, request.decoderResult().cause());
            return;
        }
        String path = RequestTarget.path(request.uri());
        HttpMethod method = request.method();
        FullHttpResponse response;
        if (path == null) {
            response = text(HttpResponseStatus.BAD_REQUEST, "not an http URI: " + request.uri() + "\n");
        } else if (!PATHS.contains(path)) {
            response = text(HttpResponseStatus.NOT_FOUND, "not found: " + path + "\n");
        } else if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: " + method + "\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else {
            if (path.equals("/metrics") && metrics.enabled()) {
                scrapeOffTheLoop(ctx, request);
                return;
            }
            response = switch (path) {
                case "/metrics" -> text(HttpResponseStatus.NOT_FOUND, "metrics are off (--metrics=false)\n");
                case "/health/live" -> text(HttpResponseStatus.OK, "live\n");
                default -> readiness.isReady()
                        ? text(HttpResponseStatus.OK, "ready\n")
                        : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready\n");
            };
        }
        send(ctx, isHead(request), HttpUtil.isKeepAlive(request), response);
    }

    private void scrapeOffTheLoop(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean head = isHead(request);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        scraping = true;
        ctx.channel().config().setAutoRead(false);
        boolean started = scraper.scrape(accept, ctx.executor(), page -> {
            FullHttpResponse response = page == null
                    ? text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "rendering the metrics failed\n")
                    : response(HttpResponseStatus.OK, metrics.contentType(accept), page);
            scraped(ctx, head, keepAlive, response);
        });
        if (!started) {
            FullHttpResponse busy = text(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many scrapes at once\n");
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            scraped(ctx, head, keepAlive, busy);
        }
    }

    /** Sends a scrape's response, then serves the requests that waited behind it, in order. */
    private void scraped(ChannelHandlerContext ctx, boolean head, boolean keepAlive, FullHttpResponse response) {
        scraping = false;
        send(ctx, head, keepAlive, response);
        ctx.channel().config().setAutoRead(true);
        while (!scraping && !waiting.isEmpty()) {
            FullHttpRequest next = waiting.poll();
            try {
                serve(ctx, next);
            } finally {
                next.release();
            }
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        for (FullHttpRequest request; (request = waiting.poll()) != null; ) {
            request.release();
        }
    }

    /**
     * Answers a request the decoder could not read and ends the connection: the decoder has
     * stopped at the fault and discards the rest, so any later header, {@code Connection: close}
     * included, is lost.
     */
    private void refuse(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status;
        if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        } else if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
        }
        warnings.badRequest.warn("Admin request from {} refused with {}: {} ({} since the last warning)",
                ctx.channel().remoteAddress(), status.code(), cause.getMessage());
        LingeringClose.respondAndClose(ctx, refusal(status));
    }

    /** A short text response for a refused request. */
    static FullHttpResponse refusal(HttpResponseStatus status) {
        return text(status, status.reasonPhrase().toLowerCase(java.util.Locale.ROOT) + "\n");
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, TEXT, body);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(response, content.readableBytes());
        return response;
    }

    private static boolean isHead(FullHttpRequest request) {
        return request.method().equals(HttpMethod.HEAD);
    }

    private static void send(ChannelHandlerContext ctx, boolean head, boolean keepAlive, FullHttpResponse response) {
        if (head) {
            response.content().clear(); // the length stays: it is what GET would send
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
