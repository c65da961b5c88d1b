package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

class NettyEngineTest {

    @Test
    void theSharedReadSizingReadsAsOftenPerWakeupAsNettysOwnDefault() {
        NioSocketChannel channel = new NioSocketChannel();
        try {
            int nettyDefault = channel.config().getMaxMessagesPerRead();
            assertThat(((MaxMessagesRecvByteBufAllocator) NettyEngine.READ_SIZING).maxMessagesPerRead())
                    .isEqualTo(nettyDefault)
                    .isGreaterThan(1);
        } finally {
            channel.unsafe().closeForcibly();
        }
    }
}
