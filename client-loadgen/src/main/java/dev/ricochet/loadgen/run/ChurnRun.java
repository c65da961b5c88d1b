package dev.ricochet.loadgen.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * {@code --churn}: opens connections at a constant rate, each closed by the load generator once
 * it has done its one cycle ({@link ChurnConnection}), to measure how many connects, and TLS
 * handshakes, a server takes per second. Connection n is planned {@code n / rate} seconds after
 * the start; each is opened at its planned time, or at once when the opening thread fell behind,
 * and its connect time counts from its planned time (corrected for coordinated omission, as the
 * open loop's latency counts from the planned send). Connections planned in the warmup are not
 * measured; those planned in the {@code --duration} after it are, and once it is over no more
 * are opened and the run waits for each one opened to settle (done, or failed by its deadline:
 * {@code --connect-timeout}, then {@code --timeout} for its request), so that every planned
 * connection has one fate. A {@link StopRequest} made while measuring ends the measurement there,
 * through the same end: the connections opened so far settle and are reported.
 */
final class ChurnRun {

    /** How far past their deadlines the run waits for the last connections to settle: a wedged event loop. */
    private static final long SETTLE_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LoadSpec spec;
    private final RunStats stats;
    private final StopRequest stop;
    private final int perSecond;
    /** Opened and not settled yet. */
    private final AtomicInteger unsettled = new AtomicInteger();
    private final LongAdder doneMeasured = new LongAdder();
    private final LongAdder failedMeasured = new LongAdder();
    private final LongAdder failedWholeRun = new LongAdder();
    private long opened;
    private long plannedMeasured;

    ChurnRun(LoadSpec spec, RunStats stats, StopRequest stop) {
        this.spec = spec;
        this.stats = stats;
        this.stop = stop;
        this.perSecond = spec.load().churn();
    }

    LoadSpec spec() {
        return spec;
    }

    RunStats stats() {
        return stats;
    }

    /** Called by each connection once, on its settling: done, or failed. */
    void settled(boolean measured, boolean done) {
        if (!done) {
            failedWholeRun.increment();
            if (measured) {
                failedMeasured.increment();
            }
        } else if (measured) {
            doneMeasured.increment();
        }
        unsettled.decrementAndGet();
    }

    RunResult run(Bootstrap bootstrap, Consumer<LoadRun.Interval> onInterval)
            throws InterruptedException, StoppedBeforeMeasuring {
        long start = System.nanoTime();
        long measureFrom = start + spec.timing().warmup().toNanos();
        long measureUntil = measureFrom + spec.timing().duration().toNanos();
        stats.measureFrom(measureFrom);
        Ticker ticker = new Ticker(stats, 0, start, System.currentTimeMillis());
        ticker.phaseTo(measureFrom, start);
        long cpuAtStart = 0;
        long measureStartMillis = 0;
        boolean measuring = false;
        String interruptedBy = null;
        while (true) {
            if (stop.made()) {
                if (!measuring) {
                    throw new StoppedBeforeMeasuring(stop.cause(), Stage.WARMUP);
                }
                interruptedBy = stop.cause();
                measureUntil = System.nanoTime(); // nothing more opened; the measurement ends here
                break;
            }
            long now = System.nanoTime();
            if (!measuring && now >= measureFrom) {
                measuring = true;
                cpuAtStart = processCpuNanos();
                measureStartMillis = System.currentTimeMillis() - (now - measureFrom) / 1_000_000;
                ticker.measurementStarted(measureStartMillis);
                stats.measuring = true;
            }
            for (long next = plannedAt(start, opened); next <= now && next < measureUntil; next = plannedAt(start, opened)) {
                open(bootstrap, next, next >= measureFrom);
            }
            if (now >= measureUntil) {
                break;
            }
            if (ticker.due(now)) {
                onInterval.accept(ticker.tick(now, measuring ? Stage.MEASURE : Stage.WARMUP));
            }
            long wakeAt = Math.min(Math.min(plannedAt(start, opened), ticker.nextTickNanos()), measureUntil);
            if (!measuring) {
                wakeAt = Math.min(wakeAt, measureFrom);
            }
            stop.await(wakeAt - System.nanoTime());
        }
        long settleBy = System.nanoTime() + spec.network().connectTimeout().toNanos()
                + spec.load().replyTimeout().toNanos() + SETTLE_SLACK_NANOS;
        for (long now = System.nanoTime(); unsettled.get() > 0 && now < settleBy; now = System.nanoTime()) {
            if (ticker.due(now)) {
                onInterval.accept(ticker.tick(now, Stage.MEASURE));
            }
            sleepUntil(Math.min(now + 1_000_000L, ticker.nextTickNanos()));
        }
        stats.endMeasurement();
        long cpuNanos = processCpuNanos() - cpuAtStart;
        long endMillis = System.currentTimeMillis();
        onInterval.accept(ticker.last(endMillis, stats.openConnections()));
        RunResult.Timing timing = new RunResult.Timing(0, (measureFrom - start) / 1e9,
                (measureUntil - measureFrom) / 1e9, measureStartMillis, endMillis, cpuNanos);
        Tally totals = ticker.totals();
        RunResult.Errors errors = new RunResult.Errors(stats.errors(), stats.failedMeasured(), stats.failedAll(),
                stats.mismatchSamples(), stats.otherSamples());
        RunResult.Connections connections = new RunResult.Connections(ticker.connectTimes(), stats.established(),
                0, stats.connectFailures(), stats.connectionsLost(), stats.openConnections(), stats.notUpAtEnd(), 0);
        RunResult.Churn churn = new RunResult.Churn(perSecond, plannedMeasured, doneMeasured.sum(),
                failedMeasured.sum(), opened, failedWholeRun.sum());
        return new RunResult(totals.latencies(), totals.counts(), errors, connections, timing, 0, List.of(), null,
                churn, interruptedBy);
    }

    /** When connection {@code n} is planned: {@code n / rate} seconds after {@code start}, without drift. */
    private long plannedAt(long start, long n) {
        return start + n * 1_000_000_000L / perSecond;
    }

    private void open(Bootstrap bootstrap, long plannedNanos, boolean measured) {
        long n = opened++;
        if (measured) {
            plannedMeasured++;
        }
        unsettled.incrementAndGet();
        ChurnConnection connection = new ChurnConnection(this, n, plannedNanos, measured);
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ClientTls tls = spec.network().tls();
                if (tls != null) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), spec.target().getPort()));
                }
                ch.pipeline().addLast(connection);
            }
        });
        List<java.net.InetAddress> sources = spec.network().sourceAddresses();
        ChannelFuture connect = sources.isEmpty() ? b.connect(spec.target())
                : b.connect(spec.target(), new InetSocketAddress(sources.get((int) (n % sources.size())), 0));
        connect.addListener(connection);
    }

    private static void sleepUntil(long wakeAtNanos) throws InterruptedException {
        long sleep = wakeAtNanos - System.nanoTime();
        if (sleep > 0) {
            TimeUnit.NANOSECONDS.sleep(sleep);
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
