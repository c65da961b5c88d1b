package dev.ricochet.server.prime;

import dev.ricochet.server.connection.ConnectionGuards;
import dev.ricochet.server.connection.PortSecurity;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;

/** Assembles the prime protocol's pipeline: the one place where its handlers are ordered. */
public final class PrimeChannelInitializer extends ChannelInitializer<Channel> {

    private final PortSecurity security;
    private final ConnectionGuards guards;
    private final PrimeService service;
    private final Duration linger;

    /** A plaintext port's: for tests of the protocol. */
    public PrimeChannelInitializer(ConnectionGuards guards, PrimeService service, Duration linger) {
        this(PortSecurity.PLAINTEXT, guards, service, linger);
    }

    /**
     * @param security the port's TLS, or its plaintext check, after the guards
     * @param guards   the handlers every protocol starts and ends with
     * @param service  answers the requests of every connection
     * @param linger   how long a bare number waits before it counts as a request
     */
    public PrimeChannelInitializer(PortSecurity security, ConnectionGuards guards, PrimeService service,
            Duration linger) {
        this.security = security;
        this.guards = guards;
        this.service = service;
        this.linger = linger;
    }

    @Override
    protected void initChannel(Channel ch) {
        guards.addFront(ch.pipeline(), security);
        PrimeRequestHandler handler = new PrimeRequestHandler(service);
        ch.pipeline().addLast(new PrimeRequestDecoder(linger, handler), handler);
    }
}
