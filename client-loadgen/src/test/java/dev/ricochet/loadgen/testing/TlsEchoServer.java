package dev.ricochet.loadgen.testing;

import dev.ricochet.testing.TestPki;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * The echo protocol over TLS for the load generator's tests, on Netty and the JDK's engine (so
 * that whichever provider the client takes, the two ends are different implementations):
 * greets each connection with {@code *} once its handshake is done, answers each read's frame
 * bytes with one write, and, given an authority, asks every client for a certificate it issued
 * (mutual TLS). {@link #plaintext} serves the same protocol without TLS.
 */
public final class TlsEchoServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;
    private final AtomicInteger handshakes = new AtomicInteger();

    /**
     * @param certificate the server's certificate and key
     * @param clientCa    the authority whose client certificates it requires; null: it asks for none
     */
    public TlsEchoServer(TestPki.Issued certificate, Path clientCa) throws SSLException, InterruptedException {
        this(context(certificate, clientCa));
    }

    private TlsEchoServer(SslContext context) throws InterruptedException {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (context != null) {
                            ch.pipeline().addLast(context.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new Echo());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** The same server without TLS. */
    public static TlsEchoServer plaintext() throws InterruptedException {
        return new TlsEchoServer((SslContext) null);
    }

    private static SslContext context(TestPki.Issued certificate, Path clientCa) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(certificate.certificate().toFile(),
                certificate.key().toFile()).sslProvider(SslProvider.JDK);
        if (clientCa != null) {
            builder.trustManager(clientCa.toFile()).clientAuth(ClientAuth.REQUIRE);
        }
        return builder.build();
    }

    public String target() {
        return "127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Connections that completed their handshake. */
    public int handshakes() {
        return handshakes.get();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The protocol's state machine, one per connection; the greeting is held by TLS until its handshake is done. */
    private final class Echo extends ChannelInboundHandlerAdapter {

        private boolean inFrame;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('*'));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done && done.isSuccess()) {
                handshakes.incrementAndGet();
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            ByteBuf out = ctx.alloc().buffer(in.readableBytes());
            try {
                while (in.isReadable()) {
                    int b = in.readUnsignedByte();
                    if (!inFrame) {
                        inFrame = b == '^';
                    } else if (b == '$') {
                        inFrame = false;
                    } else {
                        out.writeByte(b + 1);
                    }
                }
            } finally {
                in.release();
            }
            if (out.isReadable()) {
                ctx.writeAndFlush(out);
            } else {
                out.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that failed its handshake, or left
        }
    }
}
