package dev.ricochet.server.prime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.TestGuards;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The prime pipeline with computations inline, so that everything runs on the test thread. */
class PrimePipelineTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new PrimeChannelInitializer(TestGuards.unlimited(),
            new PrimeService(PrimeMethod.MILLER_RABIN, 10, null, ServerMetrics.disabled().primeService()),
            Duration.ofMillis(20)));

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private String replies() {
        StringBuilder all = new StringBuilder();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            all.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return all.toString();
    }

    @Test
    void closesTheConnectionOnAnIoError() {
        send("7\n");
        replies();
        channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void readsNoRequestOnceADrainStartsAndEndsWhenEverythingReadIsAnswered() {
        send("7\n12");
        channel.pipeline().fireUserEventTriggered(Drain.STARTED);
        channel.advanceTimeBy(1, TimeUnit.SECONDS); // the bare 12 would have lingered into a request
        channel.runScheduledPendingTasks();

        assertThat(replies()).isEqualTo("prime\n");
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void answersEachLineInOrder() {
        send("2\n4\n0\n1\n2305843009213693951\n9223372036854775807\n");
        assertThat(replies()).isEqualTo("prime\ncomposite\ncomposite\ncomposite\nprime\ncomposite\n");
        channel.finishAndReleaseAll();
    }

    @Test
    void writesEveryReplyReadyAtOnceAsOneBuffer() {
        send("2\n4\n0\nseven\n7\n");
        ByteBuf only = channel.readOutbound();
        try {
            assertThat(only.toString(StandardCharsets.US_ASCII))
                    .isEqualTo("prime\ncomposite\ncomposite\nerror: not a decimal number\nprime\n");
            assertThat(channel.<Object>readOutbound()).isNull();
        } finally {
            only.release();
        }
        channel.finishAndReleaseAll();
    }

    /**
     * Over an in-JVM channel on a real event loop (workers hand their answers back to it from
     * their own threads), where one write arrives as exactly one read.
     */
    @Test
    void triesAtMostSixtyFourRequestsOfOneReadOnTheEventLoopAndOffloadsTheRest() throws Exception {
        ServerMetrics metrics = ServerMetrics.prometheus();
        OffloadPool pool = new OffloadPool(1, 1000);
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        LocalAddress address = new LocalAddress("prime-quick-budget");
        StringBuffer replies = new StringBuffer();
        try {
            new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
                    .childHandler(new PrimeChannelInitializer(TestGuards.unlimited(), new PrimeService(
                            PrimeMethod.TRIAL_DIVISION, 0, pool, metrics.primeService()), Duration.ofMillis(20)))
                    .bind(address).sync();
            Channel client = new Bootstrap().group(loop).channel(LocalChannel.class)
                    .handler(new SimpleChannelInboundHandler<ByteBuf>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf reply) {
                            replies.append(reply.toString(StandardCharsets.US_ASCII));
                        }
                    })
                    .connect(address).sync().channel();
            client.writeAndFlush(Unpooled.copiedBuffer("7\n".repeat(100), StandardCharsets.US_ASCII)).sync();
            await().atMost(Duration.ofSeconds(10)).until(() -> replies.length() == 100 * "prime\n".length());
            assertThat(replies.toString()).isEqualTo("prime\n".repeat(100));
            assertThat(metrics.scrape(null)).containsPattern("(?m)^ricochet_prime_queue_wait_seconds_count\\{engine=\"netty\"} "
                    + (100 - PrimeRequestHandler.QUICK_PER_READ) + "(\\.0)?$");
            client.close().sync();
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            pool.shutdownNow();
            metrics.close();
        }
    }

    @Test
    void answersBadInputWithAnErrorAndKeepsTheConnection() {
        send("seven\n\n99999999999999999999\n7\n");
        assertThat(replies()).isEqualTo("error: not a decimal number\nerror: empty request\n"
                + PrimeReply.OUT_OF_RANGE.text() + "prime\n");
        assertThat(channel.isActive()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void closesAfterAnsweringALineThatIsTooLong() {
        send("7\n" + "9".repeat(100) + "\n11\n");
        assertThat(replies()).isEqualTo("prime\nerror: line longer than 64 bytes\n");
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void answersWhatIsOwedAndClosesWhenTheClientHalfCloses() {
        send("7\n13");
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(replies()).isEqualTo("prime\nprime\n");
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }
}
