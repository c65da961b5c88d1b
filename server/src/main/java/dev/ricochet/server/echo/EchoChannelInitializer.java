package dev.ricochet.server.echo;

import dev.ricochet.server.connection.BackPressureHandler;
import dev.ricochet.server.connection.ConnectionErrorHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;

/** Assembles the echo protocol's pipeline: the one place where its handlers are ordered. */
public final class EchoChannelInitializer extends ChannelInitializer<Channel> {

    private final ChannelGroup liveConnections;
    private final BackPressureHandler backPressure;
    private final ConnectionErrorHandler errors = new ConnectionErrorHandler();

    /**
     * @param liveConnections every accepted connection joins it (and leaves when it closes),
     *                        so that shutdown can wait for them
     * @param backPressure    the shared handler that pauses reading while a connection's
     *                        replies cannot be written
     */
    public EchoChannelInitializer(ChannelGroup liveConnections, BackPressureHandler backPressure) {
        this.liveConnections = liveConnections;
        this.backPressure = backPressure;
    }

    @Override
    protected void initChannel(Channel ch) {
        liveConnections.add(ch);
        ch.pipeline().addLast(
                backPressure,
                new EchoFrameDecoder(),
                new EchoReplyWriter(),
                errors);
    }
}
