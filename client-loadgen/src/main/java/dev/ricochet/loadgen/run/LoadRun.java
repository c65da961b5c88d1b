package dev.ricochet.loadgen.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs one load test, on the spec's transport, in three phases: the connect phase opens the
 * connections at the connect rate and sends nothing until every first connection attempt has
 * settled (its connection up, greeting included, or the attempt failed); then every
 * connection up starts its load at once and the warmup runs; then the measurement, for the
 * duration; then everything is closed. Reports once per second throughout. A {@link StopRequest}
 * ends the measurement early, through the same end; made before the measurement started, it
 * ends the run with {@link StoppedBeforeMeasuring}.
 *
 * <p>Starting each connection's load as soon as it is up would let the early connections load
 * the server while it is still accepting the rest: a server that accepts slowly under load
 * (one accept per event-loop round) then overflows its accept queue and loses connections the
 * client believes it has.
 */
public final class LoadRun {

    /**
     * What the reports get once per second: the interval's latencies and counts, which the run
     * reuses for the next second (whatever must outlive the call is copied out of them during
     * it), and the run's counts so far.
     *
     * @param elapsedSeconds    time since the run started, at the end of the interval
     * @param nanos             length of the interval
     * @param endMillis         the end of the interval, wall clock (epoch milliseconds)
     * @param open              connections up at its end
     * @param target            connections asked for
     * @param stage             where the run stood: {@link Stage#MEASURE} when the interval holds
     *                          anything measured (the last one always does), else where the run
     *                          stood at its end
     * @param latencies         the interval's latencies (recorded only while measuring)
     * @param counts            the interval's counts
     * @param soFar             the run's counts up to the end of the interval
     * @param errorsByKindSoFar errors up to the end of the interval, every kind, in
     *                          {@link ErrorKind}'s order
     * @param reconnectsSoFar   connections re-established up to the end of the interval
     */
    public record Interval(double elapsedSeconds, long nanos, long endMillis, int open, int target, Stage stage,
            Latencies latencies, Counts counts, Counts soFar, Map<ErrorKind, Long> errorsByKindSoFar,
            long reconnectsSoFar) {

        /** Whether the interval belongs to the measurement. */
        public boolean measuring() {
            return stage == Stage.MEASURE;
        }

        /** Errors of every kind up to the end of the interval. */
        public long errorsSoFar() {
            long total = 0;
            for (long n : errorsByKindSoFar.values()) {
                total += n;
            }
            return total;
        }

        /** Replies per second over the interval, warmup included. */
        public double requestsPerSecond() {
            return perSecond(counts.answeredWholeRun());
        }

        /** {@code count} over the interval's length, per second. */
        public double perSecond(long count) {
            return nanos <= 0 ? 0 : count * 1e9 / nanos;
        }
    }

    private final LoadSpec spec;
    private final RunStats stats = new RunStats();
    private final RunControl control;
    private final StopRequest stop;
    /** Slots whose first connection is up or whose first attempt failed. */
    private final AtomicInteger settled = new AtomicInteger();

    /** A run that nothing stops before its end. */
    public LoadRun(LoadSpec spec) {
        this(spec, new StopRequest());
    }

    /** @param stop ends the measurement early once made, from any thread */
    public LoadRun(LoadSpec spec, StopRequest stop) {
        this.spec = spec;
        this.stop = stop;
        control = new RunControl(spec.load().sendTick().toNanos());
    }

    /**
     * @param onInterval called once per second from the calling thread; the interval's
     *                   latencies and counts are reused for the next second, so whatever must
     *                   outlive the call is copied out of them during it
     */
    public RunResult run(Consumer<Interval> onInterval) throws InterruptedException, StoppedBeforeMeasuring {
        return run(onInterval, step -> {
        });
    }

    /**
     * @param onInterval as above
     * @param onStep     with {@code --find-rate}, called from the calling thread once each step
     *                   of the search is judged
     */
    public RunResult run(Consumer<Interval> onInterval, Consumer<FindRate.Step> onStep)
            throws InterruptedException, StoppedBeforeMeasuring {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(spec.network().ioThreads(), new DefaultThreadFactory("loadgen-io"),
                spec.network().transport().ioHandler());
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(spec.network().transport().channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    // At least 1 ms: Netty reads 0 as no timeout at all.
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.max(1, Math.min(Integer.MAX_VALUE, spec.network().connectTimeout().toMillis())));
            if (spec.load().churn() > 0) {
                return new ChurnRun(spec, stats, stop).run(bootstrap, onInterval);
            }
            return drive(bootstrap, onInterval, onStep);
        } finally {
            control.stop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private RunResult drive(Bootstrap bootstrap, Consumer<Interval> onInterval, Consumer<FindRate.Step> onStep)
            throws InterruptedException, StoppedBeforeMeasuring {
        Phases phases = new Phases(bootstrap, onInterval, onStep);
        phases.connectLoadAndMeasure();
        phases.endMeasurement();
        return phases.result();
    }

    /**
     * One run's phases, in order, on the calling thread, and what they share. The connect
     * phase paces the first connects and waits for every first attempt to settle; the load
     * then starts, and after the warmup the measurement; once a second an interval is taken.
     * A search ({@code --find-rate}) measures from the start of the load: its steps, each with
     * its own warmup, run one after another until it is over ({@link SearchRun}).
     */
    private final class Phases {

        private final Consumer<Interval> onInterval;
        private final long start = System.nanoTime();
        /** Every slot is pinned to one event loop, on which all its connections run. */
        private final ConnectionSlot[] slots = new ConnectionSlot[spec.network().connections()];
        private final Map<EventLoop, List<ConnectionSlot>> slotsByLoop = new HashMap<>();
        private final ConnectPacer connectPacer = new ConnectPacer(spec.network().connectRate(), start);
        /** With --find-rate, the search, which makes the plan; null without. */
        private final SearchRun search;
        /** Open loop: the run's plan, which every slot takes its share of; null in closed loop. */
        private final Schedule schedule;
        private final Ticker ticker;
        private int opened;
        private long connectPhaseNanos;
        private long loadFrom = Long.MAX_VALUE; // known once every connection attempt has settled
        private long measureFrom = Long.MAX_VALUE; // known once the load has started
        private long loadStartedNanos;
        private long measureUntil = Long.MAX_VALUE;
        private long measuringSince;
        private long measuringSinceMillis;
        private long cpuAtMeasureStart;
        private RunResult.Timing timing; // known once the measurement has ended
        private List<PhaseTally> phases; // known once the measurement has ended
        private FindRate findRate; // known once the search is over
        private int openAtEnd;
        /** What stopped the measurement before its end; null when it ran to its end. */
        private String interruptedBy;

        Phases(Bootstrap bootstrap, Consumer<Interval> onInterval, Consumer<FindRate.Step> onStep) {
            this.onInterval = onInterval;
            search = spec.load().search() == null ? null : new SearchRun(spec, stats, slotsByLoop, onStep);
            PlannedCount plan = spec.plannedCount();
            schedule = search != null ? search.schedule() : plan == null ? null : new Schedule(plan);
            for (int i = 0; i < slots.length; i++) {
                EventLoop loop = bootstrap.config().group().next();
                slots[i] = new ConnectionSlot(i, loop, bootstrap, spec, stats, control, spec.planOf(i, schedule),
                        settled::incrementAndGet);
                slotsByLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(slots[i]);
            }
            ticker = new Ticker(stats, spec.network().connections(), start, System.currentTimeMillis());
        }

        /**
         * Runs every phase up to the end of the measurement, waking for whichever is next, or
         * for a stop request: one made while measuring ends the measurement there (a search's,
         * its step under way unjudged), one made before has nothing to report.
         */
        void connectLoadAndMeasure() throws InterruptedException, StoppedBeforeMeasuring {
            while (true) {
                if (stop.made()) {
                    if (!stats.measuring) {
                        throw new StoppedBeforeMeasuring(stop.cause(), stage());
                    }
                    interruptedBy = stop.cause();
                    if (search != null) {
                        search.interrupted();
                    }
                    return;
                }
                long now = System.nanoTime();
                if (connecting() && settled.get() == spec.network().connections()) {
                    endConnectPhase(now);
                }
                if (!loadStarted() && System.nanoTime() >= loadFrom) {
                    startLoadAndWarmup();
                }
                if (!stats.measuring && now >= measureFrom) {
                    startMeasuring();
                }
                if (now >= measureUntil) {
                    if (search == null || !search.advance()) {
                        return;
                    }
                    measureUntil = search.judgeAt();
                }
                connectDue(now);
                if (ticker.due(now)) {
                    onInterval.accept(ticker.tick(now, stage()));
                }
                sleepUntilNextStep();
            }
        }

        /** Where the run stands: before the load, in its warmup, or measuring. */
        private Stage stage() {
            return !loadStarted() ? Stage.CONNECT : stats.measuring ? Stage.MEASURE : Stage.WARMUP;
        }

        /** Whether the connect phase still runs: some first connection attempt has not settled. */
        private boolean connecting() {
            return loadFrom == Long.MAX_VALUE;
        }

        /** Whether the load has started: its measurement window is known from then on. */
        private boolean loadStarted() {
            return measureFrom != Long.MAX_VALUE;
        }

        /**
         * Ends the connect phase. The load and the warmup start only now, so that the
         * measurement never sees the connection storm, however long it took; with
         * {@code --start-at}, a warmup before that instant (or now, if that is past).
         */
        private void endConnectPhase(long now) {
            connectPhaseNanos = now - start;
            collectConnectPhaseGarbage();
            // From after the collection, which can take a while on a loaded machine: counted
            // from before it, the warmup and the measurement would both be cut short by it.
            Instant startAt = spec.timing().startAt();
            loadFrom = startAt == null ? System.nanoTime()
                    : nanoTimeAt(startAt) - spec.timing().warmup().toNanos();
        }

        /**
         * Starts every connection's load; the measurement follows a warmup later, or at
         * {@code --start-at}. Its start is set first: the open-loop plans count from it.
         */
        private void startLoadAndWarmup() {
            Instant startAt = spec.timing().startAt();
            long now = System.nanoTime();
            loadStartedNanos = now;
            if (search != null) {
                measureFrom = now; // each step has its own warmup
                search.started(now);
                measureUntil = search.judgeAt();
            } else {
                measureFrom = startAt == null ? now + spec.timing().warmup().toNanos() : Math.max(now, nanoTimeAt(startAt));
                measureUntil = measureFrom + spec.timing().duration().toNanos();
            }
            stats.measureFrom(measureFrom);
            ticker.phaseTo(measureFrom, now);
            startLoad(slotsByLoop, measureFrom, phaseStarts(), search != null);
        }

        /** With a rate profile or a search, when each of its phases starts, {@link System#nanoTime()} time; null without. */
        private LoopPhases.Starts phaseStarts() {
            if (spec.load().profile() == null && search == null || schedule == null) {
                return null;
            }
            return schedule.startsFrom(measureFrom);
        }

        private void startMeasuring() {
            cpuAtMeasureStart = processCpuNanos();
            // From its planned start, as the event loops count it, not from when this thread woke.
            measuringSince = measureFrom;
            measuringSinceMillis = System.currentTimeMillis() - (System.nanoTime() - measureFrom) / 1_000_000;
            ticker.measurementStarted(measuringSinceMillis);
            stats.measuring = true;
        }

        /** Starts the first connects the connect rate allows by now. */
        private void connectDue(long now) {
            for (int n = connectPacer.take(now, spec.network().connections() - opened); n > 0; n--) {
                slots[opened].connectFirst();
                opened++;
            }
        }

        private void sleepUntilNextStep() throws InterruptedException {
            long wakeAt = Math.min(ticker.nextTickNanos(), measureUntil);
            if (!stats.measuring) {
                wakeAt = Math.min(wakeAt, measureFrom);
            }
            if (!loadStarted()) {
                wakeAt = Math.min(wakeAt, loadFrom);
            }
            long sleepNanos = wakeAt - System.nanoTime();
            if (connecting()) {
                sleepNanos = Math.min(sleepNanos, 1_000_000L); // connecting, or waiting for the attempts to settle
            }
            stop.await(sleepNanos);
        }

        /**
         * Nothing is sent from here on; each slot then counts what it still owed as unanswered
         * (replies that came in meanwhile were measured), and only then does the measurement
         * close, so that every request that had a fate in it is in the totals.
         */
        void endMeasurement() {
            long measureEndNanos = System.nanoTime();
            control.stopSending();
            finishSlots(slotsByLoop, measureFrom, measureEndNanos);
            phases = spec.load().profile() != null ? stats.phases(spec.load().profile().segments().size()) : List.of();
            findRate = search != null ? search.result() : null;
            stats.endMeasurement();
            double measuredSeconds = (System.nanoTime() - measuringSince) / 1e9;
            long cpuNanos = processCpuNanos() - cpuAtMeasureStart;
            openAtEnd = stats.openConnections();
            long endMillis = System.currentTimeMillis();
            timing = new RunResult.Timing(connectPhaseNanos / 1e9, (measuringSince - loadStartedNanos) / 1e9,
                    measuredSeconds, measuringSinceMillis, endMillis, cpuNanos);
            onInterval.accept(ticker.last(endMillis, openAtEnd));
            control.stop();
        }

        RunResult result() {
            Tally totals = ticker.totals();
            RunResult.Errors errors = new RunResult.Errors(stats.errors(), stats.failedMeasured(), stats.failedAll(),
                    stats.mismatchSamples(), stats.otherSamples());
            RunResult.Connections connections = new RunResult.Connections(ticker.connectTimes(), stats.established(),
                    stats.reconnects(), stats.connectFailures(), stats.connectionsLost(), openAtEnd,
                    stats.notUpAtEnd(), stats.neverUp());
            double planned = !spec.openLoop() || !spec.workload().sendsRequests() ? 0
                    : search != null ? totals.counts().plannedMeasured() / timing.measuredSeconds() // the search's mean
                    : spec.load().rate();
            return new RunResult(totals.latencies(), totals.counts(), errors, connections, timing, planned, phases,
                    findRate, null, interruptedBy);
        }
    }

    /**
     * Collects what the connect phase left (a lot at 10,000 connections) before the load
     * starts, while nothing is in flight. Left to the collector, it fills the young generation
     * early in the measurement, and the pause that copies the connections' objects holds every
     * request back: the pause would be charged to the server, in the corrected latencies most
     * of all.
     */
    private static void collectConnectPhaseGarbage() {
        System.gc();
    }

    /**
     * Every connection up starts sending, each on its own loop; with a rate profile or a
     * search, each loop first starts counting by phase.
     *
     * @param measureFrom when the measurement is to start: the open-loop plans count from it
     * @param phaseStarts with a rate profile or a search, when each phase starts; null without
     * @param startPlans  whether every slot's plan starts now, connection or not (a search)
     */
    private void startLoad(Map<EventLoop, List<ConnectionSlot>> slotsByLoop, long measureFrom,
            LoopPhases.Starts phaseStarts, boolean startPlans) {
        control.startLoad(measureFrom);
        slotsByLoop.forEach((loop, slots) -> loop.execute(() -> {
            if (phaseStarts != null) {
                stats.of(loop).startPhases(phaseStarts);
            }
            if (startPlans) {
                long now = System.nanoTime();
                slots.forEach(slot -> slot.startPlan(now, measureFrom));
            }
            slots.forEach(ConnectionSlot::startLoad);
        }));
    }

    /**
     * Ends every slot on its own loop: what was still outstanding or planned when the
     * measurement ended is counted as unanswered, and nothing is counted after.
     *
     * @param measureStartNanos the measurement's planned start, which the open-loop plans count from
     */
    private void finishSlots(Map<EventLoop, List<ConnectionSlot>> slotsByLoop, long measureStartNanos,
            long measureEndNanos) {
        List<Future<?>> finishing = new ArrayList<>();
        slotsByLoop.forEach((loop, slots) -> finishing.add(loop.submit(() -> {
            long now = System.nanoTime();
            LoopStats loopStats = stats.of(loop);
            for (ConnectionSlot slot : slots) {
                slot.finish(now, measureStartNanos, measureEndNanos, loopStats);
            }
        })));
        for (Future<?> f : finishing) {
            f.syncUninterruptibly();
        }
    }

    /** The {@link System#nanoTime()} reading at wall-clock {@code instant}, to the clock's precision. */
    private static long nanoTimeAt(Instant instant) {
        return System.nanoTime() + Duration.between(Instant.now(), instant).toNanos();
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
