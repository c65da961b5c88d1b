package dev.ricochet.loadgen.workload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One request: the writes that carry it (several when it is split) and the exact reply the
 * protocol owes for it. Requests are built once, before the run, and sent many times.
 */
public final class Request {

    private final byte[][] writes;
    private final byte[] expectedReply;
    private final int requestBytes;

    public Request(byte[][] writes, byte[] expectedReply) {
        this.writes = writes.clone();
        int total = 0;
        for (byte[] write : writes) {
            total += write.length;
        }
        this.expectedReply = expectedReply;
        this.requestBytes = total;
    }

    /** How many writes carry the request. */
    public int writeCount() {
        return writes.length;
    }

    /**
     * Write {@code i} in a buffer from {@code alloc}, for the channel to send and release.
     * Copying a few bytes into a pooled buffer costs less than sharing one prebuilt buffer:
     * each send of a shared buffer needs its own view object, and a wrapped read-only
     * buffer has no native address, so the transport also builds a ByteBuffer per send.
     */
    public ByteBuf write(int i, ByteBufAllocator alloc) {
        byte[] bytes = writes[i];
        return alloc.directBuffer(bytes.length).writeBytes(bytes);
    }

    public byte[] expectedReply() {
        return expectedReply;
    }

    public int requestBytes() {
        return requestBytes;
    }
}
