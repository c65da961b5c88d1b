package dev.ricochet.server.prime;

import dev.ricochet.server.connection.BackPressureHandler;
import dev.ricochet.server.connection.ConnectionErrorHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import java.time.Duration;

/** Assembles the prime protocol's pipeline: the one place where its handlers are ordered. */
public final class PrimeChannelInitializer extends ChannelInitializer<Channel> {

    private final ChannelGroup liveConnections;
    private final BackPressureHandler backPressure;
    private final PrimeService service;
    private final Duration linger;
    private final ConnectionErrorHandler errors = new ConnectionErrorHandler();

    /**
     * @param liveConnections every accepted connection joins it, so that shutdown can wait
     * @param backPressure    pauses reading while a connection's replies cannot be written
     * @param service         answers the requests of every connection
     * @param linger          how long a bare number waits before it counts as a request
     */
    public PrimeChannelInitializer(ChannelGroup liveConnections, BackPressureHandler backPressure,
            PrimeService service, Duration linger) {
        this.liveConnections = liveConnections;
        this.backPressure = backPressure;
        this.service = service;
        this.linger = linger;
    }

    @Override
    protected void initChannel(Channel ch) {
        liveConnections.add(ch);
        ch.pipeline().addLast(
                backPressure,
                new PrimeRequestDecoder(linger),
                new PrimeRequestHandler(service),
                errors);
    }
}
