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

    /** What the progress line and the interval log get once per second. */
    public record Interval(double elapsedSeconds, int open, int target, double requestsPerSecond,
            Histogram corrected, Histogram uncorrected, long errors, long shed, boolean measuring) {
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
     *                   histograms are reused for the next second, so whatever must outlive
     *                   the call is copied out of them during it
     */
    public RunResult run(Consumer<Interval> onInterval) throws InterruptedException {
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
        RunStats.Sum totals = new RunStats.Sum();
        RunStats.Sum second = new RunStats.Sum();
        long shedSoFar = 0;
        // Every slot is pinned to one event loop, on which all its connections run.
        ConnectionSlot[] slots = new ConnectionSlot[spec.network().connections()];
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
            if (measureFrom == Long.MAX_VALUE && settled.get() == spec.network().connections()) {
                // The load and the warmup start when the connect phase is over, so that the
                // measurement never sees the connection storm, however long it took.
                connectPhaseNanos = now - start;
                collectConnectPhaseGarbage();
                startLoad(slotsByLoop);
                measureFrom = now + spec.timing().warmup().toNanos();
                measureUntil = measureFrom + spec.timing().duration().toNanos();
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
            connectBudget = Math.min(spec.network().connectRate(), connectBudget + (now - lastConnectCheck) * spec.network().connectRate() / 1e9);
            lastConnectCheck = now;
            while (opened < spec.network().connections() && connectBudget >= 1) {
                slots[opened].connectFirst();
                opened++;
                connectBudget--;
            }
            if (now >= nextTick) {
                long tickMillis = System.currentTimeMillis();
                boolean measuring = stats.measuring;
                RunStats.Interval interval = stats.takeInterval(second, lastTickMillis, tickMillis);
                totals.add(interval);
                shedSoFar += interval.shedAll();
                connectInterval = stats.connectTime.getIntervalHistogram(connectInterval);
                connectTimes.add(connectInterval);
                onInterval.accept(new Interval((now - start) / 1e9, stats.openConnections(), spec.network().connections(),
                        perSecond(interval.replies(), now - lastTickNanos), interval.corrected(), interval.uncorrected(),
                        stats.totalErrors(), shedSoFar, measuring));
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
        RunStats.Interval last = stats.takeInterval(second, lastTickMillis, endMillis);
        totals.add(last);
        connectTimes.add(stats.connectTime.getIntervalHistogram(connectInterval));
        long endNanos = System.nanoTime();
        onInterval.accept(new Interval((endNanos - start) / 1e9, openAtEnd, spec.network().connections(),
                perSecond(last.replies(), endNanos - lastTickNanos), last.corrected(), last.uncorrected(),
                stats.totalErrors(), shedSoFar + last.shedAll(), true));
        control.stop();
        RunResult.Requests measured = new RunResult.Requests(totals.requests, totals.shed, stats.failedMeasured(),
                totals.unanswered, totals.unansweredUnsent);
        RunResult.Requests wholeRun = new RunResult.Requests(totals.replies, totals.shedAll, stats.failedAll(),
                totals.unanswered, totals.unansweredUnsent);
        RunResult.Connections connections = new RunResult.Connections(stats.established(), stats.reconnects(),
                stats.connectFailures(), stats.connectionsLost(), stats.notUpAtEnd(), stats.neverUp());
        long requests = totals.requests;
        return new RunResult(totals.corrected, totals.uncorrected, totals.shedLatency, connectTimes, seconds, measured, wholeRun,
                totals.sent, totals.bytesSent, totals.bytesReceived, connections, connectPhaseNanos / 1e9, openAtEnd,
                stats.errors(), stats.mismatchSamples(), stats.otherSamples(),
                spec.openLoop() && spec.workload().sendsRequests() ? spec.load().rate() : 0, totals.planned,
                requests == 0 ? 0 : (double) cpu / requests, measuringSinceMillis, endMillis);
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

    private static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
