package dev.ricochet.loadgen.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs one load test: opens the connections at the connect rate, lets them drive their
 * load, reports once per second, measures after the warmup for the duration, then closes
 * everything. Native epoll where it loads, NIO otherwise.
 */
public final class LoadRun {

    /** What the progress line and the interval log get once per second. */
    public record Interval(double elapsedSeconds, int open, int target, double requestsPerSecond,
            Histogram corrected, Histogram uncorrected, long errors, boolean measuring) {
    }

    private final LoadSpec spec;
    private final RunStats stats = new RunStats();
    private final RunControl control = new RunControl();

    public LoadRun(LoadSpec spec) {
        this.spec = spec;
    }

    /**
     * @param onInterval called once per second from the calling thread
     */
    public RunResult run(Consumer<Interval> onInterval) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(spec.ioThreads(), new DefaultThreadFactory("loadgen-io"), io);
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, spec.connectTimeout().toMillis()));
            return drive(bootstrap, onInterval);
        } finally {
            control.stop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private RunResult drive(Bootstrap bootstrap, Consumer<Interval> onInterval) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + spec.warmup().toNanos();
        long measureUntil = measureFrom + spec.duration().toNanos();
        Histogram corrected = newHistogram();
        Histogram uncorrected = newHistogram();
        Histogram connectTimes = newHistogram();
        int opened = 0;
        long nextTick = start + 1_000_000_000L;
        long lastTickRequests = 0;
        long cpuAtMeasureStart = 0;
        long measuringSince = measureFrom;
        double connectBudget = 0;
        long lastConnectCheck = start;

        while (true) {
            long now = System.nanoTime();
            if (!stats.measuring && now >= measureFrom) {
                // The warmup ends: what was recorded so far is dropped.
                stats.corrected.reset();
                stats.uncorrected.reset();
                cpuAtMeasureStart = processCpuNanos();
                measuringSince = System.nanoTime();
                stats.measuring = true;
            }
            if (now >= measureUntil) {
                break;
            }
            // Connect at the connect rate: a budget refilled with elapsed time.
            connectBudget = Math.min(spec.connectRate(), connectBudget + (now - lastConnectCheck) * spec.connectRate() / 1e9);
            lastConnectCheck = now;
            while (opened < spec.connections() && connectBudget >= 1) {
                connect(bootstrap, opened);
                opened++;
                connectBudget--;
            }
            if (now >= nextTick) {
                Histogram c = stats.corrected.getIntervalHistogram();
                Histogram u = stats.uncorrected.getIntervalHistogram();
                connectTimes.add(stats.connectTime.getIntervalHistogram());
                long requests = stats.allReplies.sum();
                if (stats.measuring) {
                    corrected.add(c);
                    uncorrected.add(u);
                }
                onInterval.accept(new Interval((now - start) / 1e9, stats.openConnections(), spec.connections(),
                        requests - lastTickRequests, c, u, stats.totalErrors(), stats.measuring));
                lastTickRequests = requests;
                nextTick += 1_000_000_000L;
            }
            long wakeAt = Math.min(nextTick, measureUntil);
            if (!stats.measuring) {
                wakeAt = Math.min(wakeAt, measureFrom);
            }
            long sleepNanos = wakeAt - System.nanoTime();
            if (opened < spec.connections()) {
                sleepNanos = Math.min(sleepNanos, 1_000_000L);
            }
            if (sleepNanos > 0) {
                TimeUnit.NANOSECONDS.sleep(sleepNanos);
            }
        }
        stats.measuring = false;
        double seconds = (System.nanoTime() - measuringSince) / 1e9;
        long cpu = processCpuNanos() - cpuAtMeasureStart;
        int openAtEnd = stats.openConnections();
        // A reply being recorded when measuring stopped finishes before these no-op tasks
        // run on its event loop: after them, the counters and histograms hold still.
        for (io.netty.util.concurrent.EventExecutor loop : bootstrap.config().group()) {
            loop.submit(() -> { }).syncUninterruptibly();
        }
        Histogram lastCorrected = stats.corrected.getIntervalHistogram();
        Histogram lastUncorrected = stats.uncorrected.getIntervalHistogram();
        corrected.add(lastCorrected);
        uncorrected.add(lastUncorrected);
        connectTimes.add(stats.connectTime.getIntervalHistogram());
        onInterval.accept(new Interval((System.nanoTime() - start) / 1e9, openAtEnd, spec.connections(),
                stats.allReplies.sum() - lastTickRequests, lastCorrected, lastUncorrected, stats.totalErrors(), true));
        control.stop();
        long requests = stats.requests.sum();
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, stats.errors(kind));
        }
        return new RunResult(corrected, uncorrected, connectTimes, seconds, requests, stats.bytesSent.sum(),
                stats.bytesReceived.sum(), stats.connected.sum(), openAtEnd, errors, stats.mismatchSamples(),
                requests == 0 ? 0 : (double) cpu / requests);
    }

    private void connect(Bootstrap bootstrap, int index) {
        long started = System.nanoTime();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(
                        new IdleStateHandler(spec.replyTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS),
                        new ConnectionDriver(spec.workload(), stats, control, spec.pipeline(), spec.intervalNanos(),
                                (long) ((double) spec.intervalNanos() * (index % spec.connections()) / spec.connections()),
                                spec.replyTimeout().toNanos(), index, started));
            }
        });
        ChannelFuture future = spec.sourceAddresses().isEmpty()
                ? b.connect(spec.target())
                : b.connect(spec.target(), new InetSocketAddress(
                        spec.sourceAddresses().get(index % spec.sourceAddresses().size()), 0));
        future.addListener(f -> {
            if (!f.isSuccess() && !control.stopping()) {
                stats.error(ConnectionDriver.classify(f.cause()));
            }
        });
    }

    private static Histogram newHistogram() {
        return new Histogram(1_000, RunStats.HIGHEST_NANOS, 3);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
