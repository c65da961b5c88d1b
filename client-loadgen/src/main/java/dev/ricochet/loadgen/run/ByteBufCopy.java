package dev.ricochet.loadgen.run;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reads a reply buffer's bytes into the checker's array without garbage. Without
 * {@code sun.misc.Unsafe} (Netty's default from JDK 24 on), {@link ByteBuf#readBytes(byte[], int, int)}
 * on a direct buffer makes a {@code DirectByteBuffer} view per call: 64 bytes per reply, and
 * young collections whose pauses hold back the requests the load generator should be
 * sending, which the corrected latencies then charge to the server. Eight bytes at a time
 * through {@link ByteBuf#getLongLE} makes none. The server has a copy of this class: the
 * load generator shares no code with the servers it checks.
 */
final class ByteBufCopy {

    /** From this many bytes on, Netty's bulk copy: its one view is nothing against the bytes. */
    static final int BULK_FROM = 1024;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteBufCopy() {
    }

    /** As {@code in.readBytes(dst, 0, length)}, with the same checks. */
    static void readInto(ByteBuf in, byte[] dst, int length) {
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
