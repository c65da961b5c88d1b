package dev.ricochet.server.transport;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reads a read buffer's bytes into a protocol's array without garbage. Netty runs without
 * {@code sun.misc.Unsafe} on the JDKs this server is built for (its default from JDK 24 on),
 * and then {@link ByteBuf#readBytes(byte[], int, int)} on a direct buffer makes a
 * {@code DirectByteBuffer} view for every call: garbage for every request on the echo path,
 * and young collections that come the more often the busier the server is (docs/benchmark-history.md
 * has the figures). Reading eight bytes at a time through {@link ByteBuf#getLongLE} makes none.
 */
public final class ByteBufCopy {

    /**
     * From this many bytes on, Netty's bulk copy: its one view is nothing against the bytes
     * it carries, and a long read (streaming) copies faster in bulk.
     */
    static final int BULK_FROM = 1024;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteBufCopy() {
    }

    /** As {@code in.readBytes(dst, 0, length)}, with the same checks. */
    public static void readInto(ByteBuf in, byte[] dst, int length) {
        if (length >= BULK_FROM || in.hasArray()) {
            in.readBytes(dst, 0, length);
            return;
        }
        Objects.checkFromIndexSize(0, length, dst.length);
        int from = in.readerIndex();
        in.skipBytes(length); // checks that the bytes are there, before any is copied
        int i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            LONGS.set(dst, i, in.getLongLE(from + i));
        }
        for (; i < length; i++) {
            dst[i] = in.getByte(from + i);
        }
    }
}
