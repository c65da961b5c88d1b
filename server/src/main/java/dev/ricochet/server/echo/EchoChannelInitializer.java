package dev.ricochet.server.echo;

import dev.ricochet.server.connection.ConnectionGuards;
import dev.ricochet.server.connection.PortSecurity;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/** Assembles the echo protocol's pipeline: the one place where its handlers are ordered. */
public final class EchoChannelInitializer extends ChannelInitializer<Channel> {

    private final PortSecurity security;
    private final ConnectionGuards guards;
    private final Counter frames;

    /** A plaintext port's: for tests of the protocol. */
    public EchoChannelInitializer(ConnectionGuards guards, Counter frames) {
        this(PortSecurity.PLAINTEXT, guards, frames);
    }

    /**
     * @param security the port's TLS, or its plaintext check, after the guards
     * @param guards   the handlers every protocol starts and ends with
     * @param frames   counts the frames clients open
     */
    public EchoChannelInitializer(PortSecurity security, ConnectionGuards guards, Counter frames) {
        this.security = security;
        this.guards = guards;
        this.frames = frames;
    }

    @Override
    protected void initChannel(Channel ch) {
        guards.addFront(ch.pipeline(), security);
        ch.pipeline().addLast(new EchoHandler(frames));
    }
}
