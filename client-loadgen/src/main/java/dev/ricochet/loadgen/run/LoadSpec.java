package dev.ricochet.loadgen.run;

import dev.ricochet.loadgen.workload.Workload;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * A run, validated: what it loads, and one small record per concern.
 *
 * @param target   where the server listens
 * @param workload what each connection sends and must get back
 * @param network  how the connections are opened and carried
 * @param timing   how long the run warms up and measures
 * @param load     how hard each connection sends
 * @param limits   what the run must stay within to pass
 */
public record LoadSpec(
        InetSocketAddress target,
        Workload workload,
        Network network,
        Timing timing,
        Load load,
        PassLimits limits) {

    /**
     * How the connections are opened and carried.
     *
     * @param connections     connections to open
     * @param connectRate     connections opened per second at most
     * @param connectTimeout  how long a connection may take to come up, from the start of its
     *                        connect: the TCP connect and the greeting share this deadline
     * @param sourceAddresses local addresses to bind to, round-robin (empty: the system chooses)
     * @param ioThreads       event loops
     * @param transport       the client transport
     */
    public record Network(
            int connections,
            int connectRate,
            Duration connectTimeout,
            List<InetAddress> sourceAddresses,
            int ioThreads,
            ClientTransport transport) {
    }

    /**
     * @param warmup   time from the end of the connect phase, when the load starts, to the
     *                 measurement (its replies are not counted)
     * @param duration measured time
     */
    public record Timing(Duration warmup, Duration duration) {
    }

    /**
     * @param pipeline     requests outstanding per connection at most
     * @param rate         open loop: requests per second over all connections; 0 for closed loop
     * @param replyTimeout how long each request may wait for its reply, from its send
     */
    public record Load(int pipeline, double rate, Duration replyTimeout) {
    }

    /**
     * @param maxErrorRate    errors over requests above which the run fails
     * @param maxShedRate     shed requests over requests above which the run fails
     * @param minAchievedRate open loop: the fraction of the planned rate that must be answered
     *                        (or shed), below which the run fails
     */
    public record PassLimits(double maxErrorRate, double maxShedRate, double minAchievedRate) {
    }

    public boolean openLoop() {
        return load.rate() > 0;
    }

    /** Open loop: the time between two planned requests of one connection. */
    long intervalNanos() {
        return openLoop() ? Math.max(1, (long) (1e9 * network.connections() / load.rate())) : 0;
    }
}
