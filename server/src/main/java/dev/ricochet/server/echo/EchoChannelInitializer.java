package dev.ricochet.server.echo;

import dev.ricochet.server.connection.ConnectionGuards;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/** Assembles the echo protocol's pipeline: the one place where its handlers are ordered. */
public final class EchoChannelInitializer extends ChannelInitializer<Channel> {

    private final ConnectionGuards guards;
    private final Counter frames;

    /**
     * @param guards the handlers every protocol starts and ends with
     * @param frames counts the frames clients open
     */
    public EchoChannelInitializer(ConnectionGuards guards, Counter frames) {
        this.guards = guards;
        this.frames = frames;
    }

    @Override
    protected void initChannel(Channel ch) {
        guards.addFront(ch.pipeline());
        ch.pipeline().addLast(new EchoHandler(frames));
    }
}
