package dev.ricochet.loadgen.run;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Everything a run counts, shared by all its connections. Latencies are in nanoseconds.
 * Replies are counted per event loop ({@link LoopStats}) and summed once per second.
 *
 * <p>Two latency histograms: {@code corrected} measures from when a request was meant to be
 * sent under the constant-rate plan, so a stalled server also delays, and is charged for,
 * every request it kept from being sent (coordinated-omission correction, as wrk2 does);
 * {@code uncorrected} measures from when it was actually sent. In closed loop the two are the
 * same. Nothing is corrected twice: no expected-interval recording, no after-the-fact copy.
 */
public final class RunStats {

    /** One hour: a reply slower than that is clamped (and the run has other problems). */
    static final long HIGHEST_NANOS = 3_600_000_000_000L;
    private static final int MAX_MISMATCH_SAMPLES = 5;

    /** What connections did over some time: replies in warmup included, the rest only while measuring. */
    record Interval(Histogram corrected, Histogram uncorrected, long replies, long requests, long bytesSent,
            long bytesReceived) {
    }

    /** Adds intervals up: the event loops' into one second, the seconds into the run. */
    static final class Sum {
        final Histogram corrected = newHistogram();
        final Histogram uncorrected = newHistogram();
        long replies;
        long requests;
        long bytesSent;
        long bytesReceived;

        void add(Interval interval) {
            corrected.add(interval.corrected());
            uncorrected.add(interval.uncorrected());
            replies += interval.replies();
            requests += interval.requests();
            bytesSent += interval.bytesSent();
            bytesReceived += interval.bytesReceived();
        }
    }

    final Recorder connectTime = new Recorder(1_000, HIGHEST_NANOS, 3);
    private final Map<EventExecutor, LoopStats> loops = new ConcurrentHashMap<>();
    final AtomicInteger open = new AtomicInteger();
    final LongAdder connected = new LongAdder();
    private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);
    private final ConcurrentLinkedQueue<String> mismatchSamples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger mismatchSampleCount = new AtomicInteger();
    volatile boolean measuring;

    RunStats() {
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, new LongAdder());
        }
    }

    void error(ErrorKind kind) {
        errors.get(kind).increment();
    }

    void mismatch(String description) {
        error(ErrorKind.MISMATCH);
        if (mismatchSampleCount.incrementAndGet() <= MAX_MISMATCH_SAMPLES) {
            mismatchSamples.add(description);
        }
    }

    /** The stats of an event loop's connections; called on that loop. */
    LoopStats of(EventExecutor loop) {
        return loops.computeIfAbsent(loop, l -> new LoopStats());
    }

    /**
     * Sums what every event loop recorded since the last call, each collected on its own
     * loop (so a reply being recorded is either in this interval or in the next, never torn).
     * Called from one thread only, while the loops run.
     */
    Interval takeInterval(long startMillis, long endMillis) {
        Sum sum = new Sum();
        for (Map.Entry<EventExecutor, LoopStats> loop : loops.entrySet()) {
            if (loop.getKey().isShuttingDown()) {
                continue; // the run is being torn down; what it recorded is no longer collected
            }
            Interval taken = loop.getKey().submit(loop.getValue()::take).syncUninterruptibly().getNow();
            try {
                sum.add(taken);
            } finally {
                // The pair comes back as the loop's spare at the next take: it must be empty then.
                taken.corrected().reset();
                taken.uncorrected().reset();
            }
        }
        for (Histogram h : List.of(sum.corrected, sum.uncorrected)) {
            h.setStartTimeStamp(startMillis);
            h.setEndTimeStamp(endMillis);
        }
        return new Interval(sum.corrected, sum.uncorrected, sum.replies, sum.requests, sum.bytesSent,
                sum.bytesReceived);
    }

    static Histogram newHistogram() {
        return new Histogram(1_000, HIGHEST_NANOS, 3);
    }

    public long errors(ErrorKind kind) {
        return errors.get(kind).sum();
    }

    public long totalErrors() {
        long sum = 0;
        for (LongAdder adder : errors.values()) {
            sum += adder.sum();
        }
        return sum;
    }

    public List<String> mismatchSamples() {
        return new ArrayList<>(mismatchSamples);
    }

    public int openConnections() {
        return open.get();
    }
}
