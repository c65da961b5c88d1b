package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ByteBufCopyPropertyTest {

    @Property(tries = 300)
    void copiesExactlyTheBytesReadBytesWouldFromADirectBuffer(@ForAll @Size(max = 1100) byte[] reply,
            @ForAll @IntRange(max = 9) int skipped, @ForAll @IntRange(max = 1100) int asked) {
        int length = Math.min(asked, reply.length);
        ByteBuf in = ByteBufAllocator.DEFAULT.directBuffer(skipped + reply.length).writeZero(skipped).writeBytes(reply);
        try {
            in.skipBytes(skipped);
            byte[] dst = new byte[length];
            ByteBufCopy.readInto(in, dst, length);
            assertThat(dst).isEqualTo(Arrays.copyOf(reply, length));
            assertThat(in.readableBytes()).isEqualTo(reply.length - length);
        } finally {
            in.release();
        }
    }

    @Property(tries = 50)
    void readsNothingWhenAskedForMoreThanIsThere(@ForAll @Size(max = 40) byte[] reply, @ForAll @IntRange(min = 1, max = 9) int more) {
        ByteBuf in = ByteBufAllocator.DEFAULT.directBuffer(reply.length + 1).writeBytes(reply);
        try {
            assertThatThrownBy(() -> ByteBufCopy.readInto(in, new byte[reply.length + more], reply.length + more))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(in.readerIndex()).isZero();
        } finally {
            in.release();
        }
    }
}
