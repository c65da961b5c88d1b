package dev.ricochet.server.connection;

import dev.ricochet.server.metrics.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * First on a plaintext port: closes a connection whose first bytes are a TLS record (a client
 * configured for TLS, sent to the wrong port), marked {@link CloseReason#UNEXPECTED_TLS}, so
 * that it is counted instead of answered with noise. It looks at the first read only and
 * leaves the pipeline then: later reads pass no extra handler.
 *
 * <p>A client's first bytes are held back only while they may still begin a TLS record
 * ({@code 0x16 0x03}, a handshake record of TLS's major version): any other first byte, such
 * as the echo protocol's {@code ^} or a digit, passes at once, so a plaintext client's replies
 * are never delayed. A first segment split inside those five header bytes is gathered by a
 * decoder of the connection's own ({@link SplitHeader}); the common case costs no per-connection
 * state, this handler being shared.
 */
@Sharable
final class UnexpectedTlsDetector extends ChannelInboundHandlerAdapter {

    static final String NAME = "unexpected-tls";
    static final UnexpectedTlsDetector INSTANCE = new UnexpectedTlsDetector();

    /** A TLS record header: content type, version major, version minor, length (2 bytes). */
    private static final int HEADER_BYTES = 5;

    private enum Verdict { PLAINTEXT, TLS, UNDECIDED }

    private UnexpectedTlsDetector() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (verdict(in)) {
            case PLAINTEXT -> {
                // A removed context still passes events on to the handler that followed it.
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(in);
            }
            case TLS -> refuse(ctx, in);
            case UNDECIDED -> {
                SplitHeader gatherer = new SplitHeader();
                ctx.pipeline().replace(this, NAME, gatherer);
                gatherer.channelRead(ctx.pipeline().context(gatherer), in);
            }
        }
    }

    private static Verdict verdict(ByteBuf in) {
        int readable = in.readableBytes();
        int start = in.readerIndex();
        if (readable == 0) {
            return Verdict.UNDECIDED;
        }
        if (in.getUnsignedByte(start) != TlsRecordStart.HANDSHAKE_RECORD) {
            return Verdict.PLAINTEXT;
        }
        if (readable >= 2 && in.getUnsignedByte(start + 1) != TlsRecordStart.TLS_MAJOR_VERSION) {
            return Verdict.PLAINTEXT;
        }
        if (readable < HEADER_BYTES) {
            return Verdict.UNDECIDED;
        }
        return SslHandler.isEncrypted(in, false) ? Verdict.TLS : Verdict.PLAINTEXT;
    }

    private static void refuse(ChannelHandlerContext ctx, ByteBuf in) {
        in.release();
        CloseReason.UNEXPECTED_TLS.markOn(ctx.channel());
        ctx.close();
    }

    /**
     * The rare first segment too short to tell: gathers bytes until the header is whole (or
     * stops looking like TLS), then either refuses the connection or leaves, handing on what
     * it gathered (ByteToMessageDecoder passes its cumulation on when removed).
     */
    private static final class SplitHeader extends ByteToMessageDecoder {

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            switch (verdict(in)) {
                case PLAINTEXT -> ctx.pipeline().remove(this);
                case TLS -> {
                    in.skipBytes(in.readableBytes());
                    CloseReason.UNEXPECTED_TLS.markOn(ctx.channel());
                    ctx.close();
                }
                case UNDECIDED -> {
                    // Wait for more bytes.
                }
            }
        }
    }
}
