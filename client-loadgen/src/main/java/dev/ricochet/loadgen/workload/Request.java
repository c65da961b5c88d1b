package dev.ricochet.loadgen.workload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * One request: the writes that carry it (several when it is split) and the exact reply the
 * protocol owes for it. Requests are built once, before the run, and sent many times: the
 * writes are shared read-only direct buffers that need no copy and no release.
 */
public final class Request {

    private final ByteBuf[] writes;
    private final byte[] expectedReply;
    private final int requestBytes;

    public Request(byte[][] writes, byte[] expectedReply) {
        this.writes = new ByteBuf[writes.length];
        int total = 0;
        for (int i = 0; i < writes.length; i++) {
            ByteBuffer direct = ByteBuffer.allocateDirect(writes[i].length).put(writes[i]).flip();
            this.writes[i] = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct).asReadOnly());
            total += writes[i].length;
        }
        this.expectedReply = expectedReply;
        this.requestBytes = total;
    }

    /** How many writes carry the request. */
    public int writeCount() {
        return writes.length;
    }

    /** A view of write {@code i} to hand to the channel (each send needs its own view). */
    public ByteBuf write(int i) {
        return writes[i].duplicate();
    }

    public byte[] expectedReply() {
        return expectedReply;
    }

    public int requestBytes() {
        return requestBytes;
    }
}
