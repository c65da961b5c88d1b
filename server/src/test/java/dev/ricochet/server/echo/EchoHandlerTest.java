package dev.ricochet.server.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.testing.ReferenceCase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

class EchoHandlerTest {

    static final List<ReferenceCase> REFERENCE_CASES = ReferenceCase.ALL;

    /**
     * Feeds each chunk as one read (a direct buffer of its own from Netty's allocator, as a
     * socket read is) and returns every reply byte the handler wrote after its greeting.
     */
    static byte[] decode(List<byte[]> reads) {
        EmbeddedChannel channel = new EmbeddedChannel(new EchoHandler(new SimpleMeterRegistry().counter("frames")));
        assertThat(readAll(channel)).containsExactly(EchoStateMachine.GREETING);
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        for (byte[] read : reads) {
            channel.writeInbound(ByteBufAllocator.DEFAULT.directBuffer(read.length).writeBytes(read));
            replies.writeBytes(readAll(channel));
        }
        assertThat(channel.finish()).isFalse();
        return replies.toByteArray();
    }

    /** Every byte written to the channel so far, its buffers released. */
    private static byte[] readAll(EmbeddedChannel channel) {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        for (ByteBuf reply; (reply = channel.readOutbound()) != null; ) {
            byte[] bytes = new byte[reply.readableBytes()];
            reply.readBytes(bytes);
            reply.release();
            written.writeBytes(bytes);
        }
        return written.toByteArray();
    }

    @ParameterizedTest
    @FieldSource("REFERENCE_CASES")
    void answersEachReferenceCaseSentAsGiven(ReferenceCase c) {
        List<byte[]> reads = c.sends().stream().map(ReferenceCase::bytes).toList();
        assertThat(decode(reads)).isEqualTo(c.output());
    }

    @ParameterizedTest
    @FieldSource("REFERENCE_CASES")
    void answersEachReferenceCaseSplitAnywhereIntoTwoReads(ReferenceCase c) {
        byte[] input = c.input();
        for (int cut = 0; cut <= input.length; cut++) {
            List<byte[]> reads = List.of(Arrays.copyOfRange(input, 0, cut), Arrays.copyOfRange(input, cut, input.length));
            assertThat(decode(reads)).as("cut at %d", cut).isEqualTo(c.output());
        }
    }

    @ParameterizedTest
    @FieldSource("REFERENCE_CASES")
    void answersEachReferenceCaseFedByteByByte(ReferenceCase c) {
        List<byte[]> reads = new ArrayList<>();
        for (byte b : c.input()) {
            reads.add(new byte[] {b});
        }
        assertThat(decode(reads)).isEqualTo(c.output());
    }

    @Test
    void answersByte0xFFWith0x00() {
        assertThat(decode(List.of(new byte[] {'^', (byte) 0xFF}))).containsExactly(0x00);
    }

    @Test
    void answersFrameStartInsideAFrameWithUnderscore() {
        assertThat(decode(List.of(ReferenceCase.bytes("^^")))).containsExactly('_');
    }

    @Test
    void countsTheFramesClientsOpenOncePerRead() {
        Counter frames = new SimpleMeterRegistry().counter("frames");
        EmbeddedChannel channel = new EmbeddedChannel(new EchoHandler(frames));
        channel.writeInbound(Unpooled.wrappedBuffer(ReferenceCase.bytes("^ab$^cd$^")));
        channel.writeInbound(Unpooled.wrappedBuffer(ReferenceCase.bytes("^$x^")));
        assertThat(frames.count()).isEqualTo(4.0); // '^' inside a frame is data, not a new frame
        channel.finishAndReleaseAll();
    }

    @Test
    void writesNothingForAReadOutsideAnyFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new EchoHandler(new SimpleMeterRegistry().counter("frames")));
        readAll(channel); // greeting
        channel.writeInbound(Unpooled.copiedBuffer(ReferenceCase.bytes("hello$world")));
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aReplyHoldsAtMostFourTimesItsOwnSizeOfMemory() {
        EmbeddedChannel channel = new EmbeddedChannel(new EchoHandler(new SimpleMeterRegistry().counter("frames")));
        readAll(channel); // greeting
        ByteBuf read = Unpooled.directBuffer(64 * 1024).writeBytes(ReferenceCase.bytes("^a$"));
        read.writeZero(read.writableBytes()); // a large read that earns one reply byte

        channel.writeInbound(read);

        ByteBuf reply = channel.readOutbound();
        assertThat(reply.readableBytes()).isEqualTo(1);
        assertThat(reply.capacity()).isLessThanOrEqualTo(4);
        reply.release();
        assertThat(channel.finish()).isFalse();
    }
}
