package dev.ricochet.server.tls;

import dev.ricochet.testing.TestPki;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A Netty TLS client that counts the TLS application-data records the server sends, read
 * from the raw bytes before its SslHandler: how a test tells one record per read batch from
 * one record per byte.
 */
final class RecordCountingClient implements AutoCloseable {

    private static final int APPLICATION_DATA = 23;

    private final EventLoopGroup group;
    private final Channel channel;
    private final ByteArrayOutputStream received;
    private final AtomicInteger applicationRecords;

    private RecordCountingClient(EventLoopGroup group, Channel channel, ByteArrayOutputStream received,
            AtomicInteger applicationRecords) {
        this.group = group;
        this.channel = channel;
        this.received = received;
        this.applicationRecords = applicationRecords;
    }

    static RecordCountingClient connect(TestPki ca, InetSocketAddress server) throws Exception {
        SslContext context = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(ca.caFile().toFile()).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        AtomicInteger records = new AtomicInteger();
        try {
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            SslHandler ssl = context.newHandler(ch.alloc(), server.getHostString(), server.getPort());
                            ch.pipeline().addLast(new RecordCounter(records), ssl, new Collector(received));
                        }
                    })
                    .connect(server).sync().channel();
            channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
            return new RecordCountingClient(group, channel, received, records);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    void send(byte[] bytes) {
        // One write and one flush: one TLS record (at most 16 KiB).
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
    }

    /** The next {@code n} bytes received, waiting for them. */
    String readAscii(int n) {
        await().until(() -> size() >= n);
        synchronized (received) {
            byte[] all = received.toByteArray();
            received.reset();
            received.write(all, n, all.length - n);
            return new String(all, 0, n, StandardCharsets.ISO_8859_1);
        }
    }

    private int size() {
        synchronized (received) {
            return received.size();
        }
    }

    int applicationRecords() {
        return applicationRecords.get();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Walks the record headers of the raw stream, however the segments split them. */
    private static final class RecordCounter extends ChannelInboundHandlerAdapter {
        private final AtomicInteger applicationRecords;
        private final byte[] header = new byte[5];
        private int headerBytes;
        private int bodyLeft;

        RecordCounter(AtomicInteger applicationRecords) {
            this.applicationRecords = applicationRecords;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            for (int i = in.readerIndex(); i < in.writerIndex(); ) {
                if (bodyLeft > 0) {
                    int skip = Math.min(bodyLeft, in.writerIndex() - i);
                    bodyLeft -= skip;
                    i += skip;
                    continue;
                }
                header[headerBytes++] = in.getByte(i++);
                if (headerBytes == header.length) {
                    headerBytes = 0;
                    bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                    if (header[0] == APPLICATION_DATA) {
                        applicationRecords.incrementAndGet();
                    }
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static final class Collector extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream received;

        Collector(ByteArrayOutputStream received) {
            this.received = received;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                byte[] bytes = new byte[in.readableBytes()];
                in.readBytes(bytes);
                synchronized (received) {
                    received.write(bytes, 0, bytes.length);
                }
            } finally {
                in.release();
            }
        }
    }
}
