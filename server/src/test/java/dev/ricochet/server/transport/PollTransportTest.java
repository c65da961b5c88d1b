package dev.ricochet.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.AbstractNioChannel;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --transport poll}: Netty's NIO whose event loops wait in the JDK's poll(2) selector,
 * on listeners and connections of that selector's provider, the JVM's default selector left
 * alone. What the kernel sees (poll, never epoll_wait, on the event loops) is shown with strace
 * in docs/operations.md; here, what the JVM shows of it.
 */
class PollTransportTest {

    private static final String POLL_PROVIDER = "sun.nio.ch.PollSelectorProvider";
    private static final String LOOP = "poll-transport-test";

    private EventLoopGroup group;

    @AfterEach
    void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Channel listen(Transport transport, CompletableFuture<Channel> accepted) throws InterruptedException {
        group = transport.newEventLoopGroup(1, LOOP);
        return new ServerBootstrap().group(group).channelFactory(transport.serverChannels())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.complete(ch);
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    @Test
    void itsEventLoopsWaitInThePollSelector() throws Exception {
        Transport poll = TransportSelector.select(TransportKind.POLL);
        listen(poll, new CompletableFuture<>());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(framesOfThreadsNamed(LOOP))
                .contains("sun.nio.ch.PollSelectorImpl")
                .doesNotContain("sun.nio.ch.EPollSelectorImpl"));
    }

    @Test
    void itsListenersAndTheConnectionsTheyAcceptAreOfThePollSelectorsProvider() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        Channel listener = listen(TransportSelector.select(TransportKind.POLL), accepted);
        int port = ((java.net.InetSocketAddress) listener.localAddress()).getPort();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            Channel connection = accepted.get(10, TimeUnit.SECONDS);
            assertThat(providerOf(listener)).isEqualTo(POLL_PROVIDER);
            assertThat(providerOf(connection)).isEqualTo(POLL_PROVIDER);
        }
    }

    @Test
    void nioStaysOnTheJvmsDefaultSelector() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        Channel listener = listen(TransportSelector.select(TransportKind.NIO), accepted);
        assertThat(providerOf(listener))
                .isEqualTo(java.nio.channels.spi.SelectorProvider.provider().getClass().getName())
                .isNotEqualTo(POLL_PROVIDER);
    }

    @Test
    void saysTheJdkHasNoPollSelectorWhenItsClassIsMissing() {
        assertThatThrownBy(() -> PollSelector.provider("sun.nio.ch.NoSuchSelectorProvider"))
                .isInstanceOf(TransportUnavailableException.class)
                .hasMessageStartingWith("--transport poll is not available on this machine: this JDK (")
                .hasMessageContaining("has no poll(2) selector (sun.nio.ch.NoSuchSelectorProvider)");
    }

    @Test
    void refusesAClassThatIsNoSelectorProvider() {
        assertThatThrownBy(() -> PollSelector.provider("java.lang.String"))
                .isInstanceOf(TransportUnavailableException.class)
                .hasMessageEndingWith("java.lang.String is not a SelectorProvider");
    }

    private static String providerOf(Channel channel) {
        return ((AbstractNioChannel.NioUnsafe) channel.unsafe()).ch().provider().getClass().getName();
    }

    private static List<String> framesOfThreadsNamed(String prefix) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith(prefix))
                .flatMap(e -> Arrays.stream(e.getValue()))
                .map(StackTraceElement::getClassName)
                .toList();
    }
}
