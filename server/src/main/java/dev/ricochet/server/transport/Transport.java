package dev.ricochet.server.transport;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A transport that is available on this machine: how to make its event loops and the
 * listening channels that run on them.
 *
 * @param kind             the transport (never {@link TransportKind#AUTO})
 * @param ioHandlerFactory makes the I/O handler of each event loop
 * @param serverChannels   makes the listening channels that run on those loops (for
 *                         {@code ServerBootstrap.channelFactory}); the connections they accept
 *                         are of the same kind
 * @param reason           why this transport was chosen, for the startup log
 */
public record Transport(
        TransportKind kind,
        IoHandlerFactory ioHandlerFactory,
        ChannelFactory<? extends ServerChannel> serverChannels,
        String reason) {

    /**
     * Creates an event loop group of this transport.
     *
     * @param threads    number of event loops (at least 1)
     * @param threadName prefix of the threads' names, so thread dumps say what they serve
     */
    public EventLoopGroup newEventLoopGroup(int threads, String threadName) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName), ioHandlerFactory);
    }
}
