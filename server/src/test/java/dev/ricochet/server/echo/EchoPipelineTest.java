package dev.ricochet.server.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.ReferenceCase;
import dev.ricochet.server.testing.TestGuards;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EchoPipelineTest {

    private final FlushCounter flushes = new FlushCounter();
    private final EmbeddedChannel channel = new EmbeddedChannel(flushes,
            new EchoChannelInitializer(TestGuards.unlimited(), ServerMetrics.disabled().echoFrames()));

    @Test
    void greetsWithAnAsteriskAsSoonAsTheConnectionIsActive() {
        assertThat(readOutbound()).isEqualTo("*");
        assertThat(flushes.count).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void flushesOncePerReadBatchNotOncePerReadOrFrame() {
        readOutbound(); // greeting
        int before = flushes.count;

        channel.writeInbound(ascii("^ab$"), ascii("^cd$^e"), ascii("f"));

        assertThat(flushes.count - before).isEqualTo(1);
        assertThat(readOutbound() + readOutbound() + readOutbound()).isEqualTo("bcdefg");
        channel.finishAndReleaseAll();
    }

    @Test
    void writesNothingBeforeTheReadBatchCompletes() {
        readOutbound(); // greeting
        channel.pipeline().fireChannelRead(ascii("^ab"));
        channel.runPendingTasks();
        assertThat(channel.<Object>readOutbound()).isNull();

        channel.pipeline().fireChannelReadComplete();
        assertThat(readOutbound()).isEqualTo("bc");
        channel.finishAndReleaseAll();
    }

    @Test
    void closesAfterSendingWhatItOwesWhenTheClientShutsDownItsOutput() {
        readOutbound(); // greeting
        channel.pipeline().fireChannelRead(ascii("^xy"));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        channel.runPendingTasks();

        assertThat(readOutbound()).isEqualTo("yz");
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void endsAtTheFrameBoundaryDuringADrainAndDiscardsWhatFollows() {
        readOutbound(); // greeting
        channel.writeInbound(ascii("^ab"));
        channel.pipeline().fireUserEventTriggered(Drain.STARTED);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("open while the frame is under way").isTrue();

        channel.writeInbound(ascii("cd$^ef"));
        channel.runPendingTasks();

        assertThat(readOutbound() + readOutbound()).isEqualTo("bcde");
        assertThat(readOutbound()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void endsAtOnceBetweenFramesDuringADrain() {
        readOutbound(); // greeting
        channel.writeInbound(ascii("^ab$xyz"));
        channel.pipeline().fireUserEventTriggered(Drain.STARTED);
        channel.runPendingTasks();

        assertThat(readOutbound()).isEqualTo("bc");
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void asksForNoReadOfItsOwnWhileReadingIsPaused() {
        readOutbound(); // greeting
        channel.config().setAutoRead(false); // as the back-pressure does
        int before = flushes.reads;

        channel.writeInbound(ascii("no frame here"), ascii("^ab"));

        assertThat(flushes.reads).as("read() requests").isEqualTo(before);
        assertThat(readOutbound()).isEqualTo("bc");
        channel.finishAndReleaseAll();
    }

    @Test
    void closesTheConnectionOnAnIoError() {
        readOutbound(); // greeting
        channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(ReferenceCase.bytes(s));
    }

    private String readOutbound() {
        ByteBuf buf = channel.readOutbound();
        if (buf == null) {
            return "";
        }
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int count;
        int reads;

        @Override
        public void read(ChannelHandlerContext ctx) {
            reads++;
            ctx.read();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }
}
