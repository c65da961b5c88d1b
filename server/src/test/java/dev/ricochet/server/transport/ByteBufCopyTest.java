package dev.ricochet.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ByteBufCopyTest {

    /** Netty's adaptive direct buffers (what the sockets read into), unpooled direct ones, and heap ones. */
    static Stream<Arguments> buffers() {
        return Stream.of(
                Arguments.of("adaptive direct", (IntFunction<ByteBuf>) ByteBufAllocator.DEFAULT::directBuffer),
                Arguments.of("unpooled direct", (IntFunction<ByteBuf>) Unpooled::directBuffer),
                Arguments.of("heap", (IntFunction<ByteBuf>) Unpooled::buffer));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buffers")
    void readsWhatReadBytesWouldAtEveryLengthAndOffset(String kind, IntFunction<ByteBuf> buffers) {
        byte[] source = new byte[ByteBufCopy.BULK_FROM + 100];
        for (int i = 0; i < source.length; i++) {
            source[i] = (byte) (i * 31 + 7);
        }
        for (int offset : new int[] {0, 1, 5, 8}) {
            for (int length = 0; length + offset <= source.length; length += length < 40 ? 1 : 97) {
                ByteBuf in = buffers.apply(source.length).writeBytes(source);
                try {
                    in.readerIndex(offset);
                    byte[] dst = new byte[length + 3];
                    ByteBufCopy.readInto(in, dst, length);
                    assertThat(Arrays.copyOf(dst, length)).as("%d bytes from %d", length, offset)
                            .isEqualTo(Arrays.copyOfRange(source, offset, offset + length));
                    assertThat(Arrays.copyOfRange(dst, length, dst.length)).as("nothing past the length").containsOnly(0);
                    assertThat(in.readerIndex()).isEqualTo(offset + length);
                } finally {
                    in.release();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buffers")
    void refusesMoreThanIsReadableOrFitsAndReadsNothingThen(String kind, IntFunction<ByteBuf> buffers) {
        ByteBuf in = buffers.apply(64).writeBytes(new byte[20]);
        try {
            assertThatThrownBy(() -> ByteBufCopy.readInto(in, new byte[64], 21))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ByteBufCopy.readInto(in, new byte[10], 16))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(in.readerIndex()).isZero();
        } finally {
            in.release();
        }
    }
}
