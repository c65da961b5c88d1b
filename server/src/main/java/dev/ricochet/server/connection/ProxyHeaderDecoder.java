package dev.ricochet.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * Netty's PROXY protocol decoder (v2, binary, and v1, text), which refuses a connection at the
 * first byte that no header starts with. Netty's own takes any 13 bytes that are not the v2
 * signature for the start of a v1 line and waits for up to 108 of them, so a client speaking
 * the echo protocol directly ({@code ^ab}) would be held until the header timeout.
 *
 * <p>A refusal reaches the next handler as a {@link HAProxyProtocolException}, after the
 * connection was told to close, as Netty's own refusals do.
 */
final class ProxyHeaderDecoder extends HAProxyMessageDecoder {

    /** TLVs after the addresses: what cloud load balancers send (a few IDs) fits many times over. */
    static final int MAX_TLV_BYTES = 4096;

    private static final byte[] V2_SIGNATURE = ByteBufUtil.decodeHexDump("0d0a0d0a000d0a515549540a");
    private static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);

    /** Null until the first byte chose which signature the stream must go on with. */
    private byte[] signature;
    /** Bytes of the signature that arrived and matched. */
    private int matched;
    private boolean refused;

    ProxyHeaderDecoder() {
        super(MAX_TLV_BYTES);
    }

    /** Whether any byte of a header has arrived. */
    boolean started() {
        return signature != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf in && (refused || !signatureGoesOn(in))) {
            in.release();
            if (!refused) {
                refused = true;
                ctx.close(); // nothing is sent to a client that did not come through the proxy
                ctx.fireExceptionCaught(new HAProxyProtocolException("not a PROXY protocol header"));
            }
            return;
        }
        super.channelRead(ctx, msg);
    }

    /** Checks the bytes of {@code in} that still belong to the signature; reads none of them. */
    private boolean signatureGoesOn(ByteBuf in) {
        int at = in.readerIndex();
        int end = in.writerIndex();
        if (signature == null && at < end) {
            signature = in.getByte(at) == V2_SIGNATURE[0] ? V2_SIGNATURE : V1_SIGNATURE;
        }
        for (; signature != null && matched < signature.length && at < end; at++, matched++) {
            if (in.getByte(at) != signature[matched]) {
                return false;
            }
        }
        return true;
    }
}
