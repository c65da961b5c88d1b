package dev.ricochet.loadgen.run;

import dev.ricochet.loadgen.workload.Workload;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
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
 * @param shard    this process's part of a run split over several; {@link Shard#whole} when it
 *                 is the whole run. {@code network} and {@code load} hold this part's
 *                 connections and rate
 */
public record LoadSpec(
        InetSocketAddress target,
        Workload workload,
        Network network,
        Timing timing,
        Load load,
        PassLimits limits,
        Shard shard) {

    public LoadSpec {
        if (shard.connections() != network.connections()) {
            throw new IllegalArgumentException("network.connections: " + network.connections()
                    + " (expected: the shard's " + shard.connections() + ")");
        }
        if (Double.compare(shard.rate(), load.rate()) != 0) {
            throw new IllegalArgumentException("load.rate: " + load.rate() + " (expected: the shard's " + shard.rate() + ")");
        }
        if (load.profile() != null && !load.profile().duration().equals(timing.duration())) {
            throw new IllegalArgumentException("timing.duration: " + timing.duration() + " (expected: the profile's "
                    + load.profile().duration() + ")");
        }
    }

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
     * @param tls             TLS on every connection ({@code --tls}); null for plaintext
     */
    public record Network(
            int connections,
            int connectRate,
            Duration connectTimeout,
            List<InetAddress> sourceAddresses,
            int ioThreads,
            ClientTransport transport,
            ClientTls tls) {

        /** Plaintext. */
        public Network(int connections, int connectRate, Duration connectTimeout, List<InetAddress> sourceAddresses,
                int ioThreads, ClientTransport transport) {
            this(connections, connectRate, connectTimeout, sourceAddresses, ioThreads, transport, null);
        }
    }

    /**
     * @param warmup   time from the start of the load to the measurement (its replies are not
     *                 counted); the load starts when the connect phase ends, or at
     *                 {@code startAt} minus the warmup
     * @param duration measured time
     * @param startAt  when the measurement starts, the same instant for every shard of a run
     *                 (its load then starts a warmup before); null: as soon as the warmup after
     *                 the connect phase is over. A connect phase that ends later shortens the
     *                 warmup, or starts the measurement late
     */
    public record Timing(Duration warmup, Duration duration, Instant startAt) {

        public Timing(Duration warmup, Duration duration) {
            this(warmup, duration, null);
        }
    }

    /**
     * @param pipeline     requests outstanding per connection at most
     * @param rate         open loop: requests per second over all connections (with a
     *                     profile, its mean over the measurement); 0 for closed loop
     * @param replyTimeout how long each request may wait for its reply, from its send
     * @param profile      open loop: the run's rate over time, the measurement its length
     *                     ({@code --rate-profile}); null for one constant rate
     * @param arrivals     open loop: how each connection's requests are spaced
     * @param search       a search for the highest rate that meets a latency goal
     *                     ({@code --find-rate}), {@code rate} its first step's; null for a run
     *                     of one rate or profile
     * @param sendTick     open loop: the send clock's tick ({@code --send-tick}): each event loop
     *                     wakes at most once a tick to send what has come due
     * @param churn        connections opened (and closed) per second instead of a load on held
     *                     connections ({@code --churn}, see {@link ChurnRun}); 0 without
     */
    public record Load(int pipeline, double rate, Duration replyTimeout, RateProfile profile, Arrivals arrivals,
            Search search, Duration sendTick, int churn) {

        /** {@code --send-tick}'s default: fine enough that a request leaves within a quarter of a millisecond of its plan. */
        public static final Duration DEFAULT_SEND_TICK = Duration.ofNanos(250_000);

        public Load {
            if (search != null && (profile != null || rate != search.fromRate())) {
                throw new IllegalArgumentException("rate: " + rate + (profile != null ? " with a profile" : "")
                        + " (expected: the search's first rate, " + search.fromRate() + ", and no profile)");
            }
            if (churn < 0 || churn > 0 && (rate != 0 || profile != null || search != null)) {
                throw new IllegalArgumentException("churn: " + churn + " (expected: >= 0, and with a closed loop)");
            }
        }

        /** No churn. */
        public Load(int pipeline, double rate, Duration replyTimeout, RateProfile profile, Arrivals arrivals,
                Search search, Duration sendTick) {
            this(pipeline, rate, replyTimeout, profile, arrivals, search, sendTick, 0);
        }

        /** At the default tick. */
        public Load(int pipeline, double rate, Duration replyTimeout, RateProfile profile, Arrivals arrivals,
                Search search) {
            this(pipeline, rate, replyTimeout, profile, arrivals, search, DEFAULT_SEND_TICK);
        }

        /** No search. */
        public Load(int pipeline, double rate, Duration replyTimeout, RateProfile profile, Arrivals arrivals) {
            this(pipeline, rate, replyTimeout, profile, arrivals, null);
        }

        /** One constant rate (or closed loop), evenly spaced, at the default tick. */
        public Load(int pipeline, double rate, Duration replyTimeout) {
            this(pipeline, rate, replyTimeout, null, Arrivals.UNIFORM);
        }
    }

    /**
     * A search for the highest rate whose corrected latency meets a goal ({@code --find-rate}):
     * steps up from {@code fromRate}, doubling, until a step fails, then bisects between the
     * highest rate that held and the lowest that did not (halving down first when the first
     * step fails) until they are within {@code precision} of the one that held, at most
     * {@code maxSteps} steps; then repeats the answer once. Each step is a warmup
     * ({@link Timing#warmup}), a measured window ({@link Timing#duration}) and a settle
     * ({@link #settle}), all at the step's rate, on the run's connections.
     *
     * @param goal      what each step's window is held to
     * @param fromRate  the first step's requests per second, at least 1
     * @param precision how close the answer must be to the lowest rate that failed, as a
     *                  fraction of the answer, above 0 and below 1
     * @param maxSteps  the search's steps at most, before its repeat: at least 1
     */
    public record Search(RateGoal goal, long fromRate, double precision, int maxSteps) {

        /** The settle's shortest: time for the replies of a healthy server to the window's last requests. */
        static final Duration MIN_SETTLE = Duration.ofMillis(200);

        public Search {
            if (fromRate < 1 || !(precision > 0 && precision < 1) || maxSteps < 1) {
                throw new IllegalArgumentException("search: from " + fromRate + ", precision " + precision + ", "
                        + maxSteps + " steps (expected: from >= 1, 0 < precision < 1, steps >= 1)");
            }
        }

        /**
         * How long each step goes on at its rate after its window before it is judged, so that
         * the replies to the window's last requests come in: twice the goal's bound, at least
         * {@link #MIN_SETTLE}. A request still unanswered then has waited longer than the
         * bound, and counts so, with its latency so far.
         */
        public Duration settle() {
            Duration twice = Duration.ofNanos(goal.boundNanos()).multipliedBy(2);
            return twice.compareTo(MIN_SETTLE) > 0 ? twice : MIN_SETTLE;
        }
    }

    /**
     * How each connection's planned requests are spaced in open loop ({@code --arrivals}).
     *
     * @param poisson false: evenly, at the connection's current interval; true: exponential
     *                gaps of that mean, a Poisson process
     * @param seed    Poisson: the run's seed; each connection draws from its own stream of it
     */
    public record Arrivals(boolean poisson, long seed) {

        public static final Arrivals UNIFORM = new Arrivals(false, 0);

        public static Arrivals poisson(long seed) {
            return new Arrivals(true, seed);
        }

        /** As {@code --arrivals} names it. */
        public String label() {
            return poisson ? "poisson" : "uniform";
        }
    }

    /**
     * @param maxErrorRate    errors over requests above which the run fails
     * @param maxShedRate     shed requests over requests above which the run fails
     * @param minAchievedRate open loop: the fraction of the planned rate that must be answered
     *                        (or shed), below which the run fails
     */
    public record PassLimits(double maxErrorRate, double maxShedRate, double minAchievedRate) {
    }

    /**
     * One of {@code count} load-generator processes that share a run: it opens its share of
     * the run's connections, each at the rate a connection has in one process. Its slots are
     * the run's slots {@code index}, {@code index + count}, {@code index + 2 × count} and so
     * on, so that the shards' plans, started together, interleave as one process's would.
     *
     * @param index          this shard's number, 0 to {@code count - 1} (as a Kubernetes
     *                       Indexed Job numbers its pods)
     * @param count          the shards of the run, at least 1
     * @param runConnections the run's connections over all shards, at least {@code count}
     * @param runRate        open loop: the run's requests per second over all shards (with a
     *                       rate profile, its mean); 0 for closed loop
     */
    public record Shard(int index, int count, int runConnections, double runRate) {

        public Shard {
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("shard: " + index + "/" + count + " (expected: 0 <= index < count)");
            }
            if (runConnections < count) {
                throw new IllegalArgumentException("runConnections: " + runConnections + " (expected: >= " + count + ")");
            }
        }

        /** The whole run in one process: shard 0 of 1. */
        public static Shard whole(int connections, double rate) {
            return new Shard(0, 1, connections, rate);
        }

        /** Whether the run is split over more than one process. */
        public boolean split() {
            return count > 1;
        }

        /** This shard's connections: the run's spread as evenly as can be, the first shards one more. */
        public int connections() {
            return runConnections / count + (index < runConnections % count ? 1 : 0);
        }

        /** This shard's requests per second: the run's, in proportion to its connections. */
        public double rate() {
            return count == 1 ? runRate : runRate * connections() / runConnections;
        }

        /**
         * The seed this shard draws its prime numbers with: {@code --seed} plus its index, so
         * that no two shards draw the same numbers in the same order, and shard 0 (a run in
         * one process) draws what it always drew.
         */
        public long seed(long runSeed) {
            return runSeed + index;
        }

        /** The run's number of this shard's slot {@code local} (0 to {@link #connections()} - 1). */
        int runSlot(int local) {
            return index + local * count;
        }
    }

    /**
     * The plan of this process's slot {@code local}, numbered in the whole run.
     *
     * @param schedule the run's plan, shared by every slot; null in closed loop
     */
    SendPlan planOf(int local, PlannedCount schedule) {
        return planOf(local, schedule == null ? null : new Schedule(schedule));
    }

    /** As above, on a plan that may grow (a search's). */
    SendPlan planOf(int local, Schedule schedule) {
        return new SendPlan(shard.runSlot(local), shard.runConnections(), schedule, load.arrivals());
    }

    public boolean openLoop() {
        return load.rate() > 0;
    }

    /**
     * Open loop: the whole run's plan, from the run's totals (so that every shard's connections
     * keep the pace of one process's): the profile, or the constant rate over the measurement;
     * null in closed loop.
     */
    PlannedCount plannedCount() {
        if (!openLoop()) {
            return null;
        }
        return new PlannedCount(load.profile() != null ? load.profile()
                : RateProfile.constant(shard.runRate(), timing.duration()));
    }
}
