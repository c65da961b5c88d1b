package dev.ricochet.loadgen.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs one load test, on the spec's transport, in three phases: the connect phase opens the
 * connections at the connect rate and sends nothing until every first connection attempt has
 * settled (its connection up, greeting included, or the attempt failed); then every
 * connection up starts its load at once and the warmup runs; then the measurement, for the
 * duration; then everything is closed. Reports once per second throughout.
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
     * @param elapsedSeconds time since the run started
     * @param nanos          length of the interval
     * @param open           connections up at its end
     * @param target         connections asked for
     * @param latencies      the interval's latencies (recorded only while measuring)
     * @param counts         the interval's counts
     * @param soFar          the run's counts up to the end of the interval
     * @param errorsSoFar    errors of every kind up to the end of the interval
     * @param measuring      whether the interval belongs to the measurement (the last one always does)
     */
    public record Interval(double elapsedSeconds, long nanos, int open, int target, Latencies latencies,
            Counts counts, Counts soFar, long errorsSoFar, boolean measuring) {

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
    private final RunControl control = new RunControl();
    /** Slots whose first connection is up or whose first attempt failed. */
    private final AtomicInteger settled = new AtomicInteger();

    public LoadRun(LoadSpec spec) {
        this.spec = spec;
    }

    /**
     * @param onInterval called once per second from the calling thread; the interval's
     *                   latencies and counts are reused for the next second, so whatever must
     *                   outlive the call is copied out of them during it
     */
    public RunResult run(Consumer<Interval> onInterval) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(spec.ioThreads(), new DefaultThreadFactory("loadgen-io"),
                spec.transport().ioHandler());
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(spec.transport().channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    // At least 1 ms: Netty reads 0 as no timeout at all.
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.max(1, Math.min(Integer.MAX_VALUE, spec.connectTimeout().toMillis())));
            return drive(bootstrap, onInterval);
        } finally {
            control.stop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private RunResult drive(Bootstrap bootstrap, Consumer<Interval> onInterval) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = Long.MAX_VALUE; // known once every connection attempt has settled
        long measureUntil = Long.MAX_VALUE;
        long connectPhaseNanos = 0;
        Tally totals = new Tally();
        Tally second = new Tally();
        // Every slot is pinned to one event loop, on which all its connections run.
        ConnectionSlot[] slots = new ConnectionSlot[spec.connections()];
        Map<EventLoop, List<ConnectionSlot>> slotsByLoop = new HashMap<>();
        for (int i = 0; i < slots.length; i++) {
            EventLoop loop = bootstrap.config().group().next();
            slots[i] = new ConnectionSlot(i, loop, bootstrap, spec, stats, control, settled::incrementAndGet);
            slotsByLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(slots[i]);
        }
        Histogram connectTimes = RunStats.newHistogram();
        Histogram connectInterval = null; // recycled by the recorder from the second interval on
        int opened = 0;
        long nextTick = start + 1_000_000_000L;
        long lastTickNanos = start;
        long lastTickMillis = System.currentTimeMillis();
        long cpuAtMeasureStart = 0;
        long measuringSince = 0;
        long measuringSinceMillis = 0;
        double connectBudget = 0;
        long lastConnectCheck = start;

        while (true) {
            long now = System.nanoTime();
            if (measureFrom == Long.MAX_VALUE && settled.get() == spec.connections()) {
                // The load and the warmup start when the connect phase is over, so that the
                // measurement never sees the connection storm, however long it took.
                connectPhaseNanos = now - start;
                collectConnectPhaseGarbage();
                startLoad(slotsByLoop);
                measureFrom = now + spec.warmup().toNanos();
                measureUntil = measureFrom + spec.duration().toNanos();
            }
            if (!stats.measuring && now >= measureFrom) {
                cpuAtMeasureStart = processCpuNanos();
                measuringSince = System.nanoTime();
                measuringSinceMillis = System.currentTimeMillis();
                lastTickMillis = measuringSinceMillis; // the first measured interval starts here, not at the tick
                stats.measuring = true;
            }
            if (now >= measureUntil) {
                break;
            }
            // Connect at the connect rate: a budget refilled with elapsed time.
            connectBudget = Math.min(spec.connectRate(), connectBudget + (now - lastConnectCheck) * spec.connectRate() / 1e9);
            lastConnectCheck = now;
            while (opened < spec.connections() && connectBudget >= 1) {
                slots[opened].connectFirst();
                opened++;
                connectBudget--;
            }
            if (now >= nextTick) {
                long tickMillis = System.currentTimeMillis();
                boolean measuring = stats.measuring;
                stats.takeInterval(second, lastTickMillis, tickMillis);
                totals.add(second);
                connectInterval = stats.connectTime.getIntervalHistogram(connectInterval);
                connectTimes.add(connectInterval);
                onInterval.accept(new Interval((now - start) / 1e9, now - lastTickNanos, stats.openConnections(),
                        spec.connections(), second.latencies(), second.counts(), totals.counts(), stats.totalErrors(),
                        measuring));
                lastTickMillis = tickMillis;
                lastTickNanos = now;
                nextTick += 1_000_000_000L;
            }
            long wakeAt = Math.min(nextTick, measureUntil);
            if (!stats.measuring) {
                wakeAt = Math.min(wakeAt, measureFrom);
            }
            long sleepNanos = wakeAt - System.nanoTime();
            if (measureFrom == Long.MAX_VALUE) {
                sleepNanos = Math.min(sleepNanos, 1_000_000L); // connecting, or waiting for the attempts to settle
            }
            if (sleepNanos > 0) {
                TimeUnit.NANOSECONDS.sleep(sleepNanos);
            }
        }
        // Nothing is sent from here on; each slot then counts what it still owed as unanswered
        // (replies that came in meanwhile were measured), and only then does the measurement
        // close, so that every request that had a fate in it is in the totals.
        long measureEndNanos = System.nanoTime();
        control.stopSending();
        finishSlots(slotsByLoop, measuringSince, measureEndNanos);
        stats.measuring = false;
        double seconds = (System.nanoTime() - measuringSince) / 1e9;
        long cpu = processCpuNanos() - cpuAtMeasureStart;
        int openAtEnd = stats.openConnections();
        long endMillis = System.currentTimeMillis();
        // Taking the last interval on each loop waits for any reply being recorded there, so
        // the totals hold still after it.
        stats.takeInterval(second, lastTickMillis, endMillis);
        totals.add(second);
        connectTimes.add(stats.connectTime.getIntervalHistogram(connectInterval));
        long endNanos = System.nanoTime();
        onInterval.accept(new Interval((endNanos - start) / 1e9, endNanos - lastTickNanos, openAtEnd,
                spec.connections(), second.latencies(), second.counts(), totals.counts(), stats.totalErrors(), true));
        control.stop();
        RunResult.Errors errors = new RunResult.Errors(stats.errors(), stats.failedMeasured(), stats.failedAll(),
                stats.mismatchSamples(), stats.otherSamples());
        RunResult.Connections connections = new RunResult.Connections(connectTimes, stats.established(),
                stats.reconnects(), stats.connectFailures(), stats.connectionsLost(), openAtEnd, stats.notUpAtEnd(),
                stats.neverUp());
        RunResult.Timing timing = new RunResult.Timing(connectPhaseNanos / 1e9, seconds, measuringSinceMillis,
                endMillis, cpu);
        return new RunResult(totals.latencies(), totals.counts(), errors, connections, timing,
                spec.openLoop() && spec.workload().sendsRequests() ? spec.rate() : 0);
    }

    /**
     * Collects what the connect phase left (some 100 MB at 10,000 connections) before the
     * load starts, while nothing is in flight. Left to the collector, it fills the young
     * generation early in the measurement, and the pause that copies the connections' objects
     * (36 ms at 10,000 connections) holds every request back: the pause would be charged to
     * the server, in the corrected latencies most of all.
     */
    private static void collectConnectPhaseGarbage() {
        System.gc();
    }

    /** Ends the connect phase: every connection up starts sending, each on its own loop. */
    private void startLoad(Map<EventLoop, List<ConnectionSlot>> slotsByLoop) {
        control.startLoad();
        slotsByLoop.forEach((loop, slots) -> loop.execute(() -> slots.forEach(ConnectionSlot::startLoad)));
    }

    /**
     * Ends every slot on its own loop: what was still outstanding or planned when the
     * measurement ended is counted as unanswered, and nothing is counted after.
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

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
