package dev.ricochet.loadgen.run;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Everything a run counts, shared by all its connections. Latencies are in nanoseconds.
 *
 * <p>Two latency recorders: {@code corrected} measures from when a request was meant to be
 * sent under the constant-rate plan, so a stalled server also delays, and is charged for,
 * every request it kept from being sent (coordinated-omission correction, as wrk2 does);
 * {@code uncorrected} measures from when it was actually sent. In closed loop the two are the
 * same. Nothing is corrected twice: no expected-interval recording, no after-the-fact copy.
 */
public final class RunStats {

    /** One hour: a reply slower than that is clamped (and the run has other problems). */
    static final long HIGHEST_NANOS = 3_600_000_000_000L;
    private static final int MAX_MISMATCH_SAMPLES = 5;

    final Recorder corrected = new Recorder(1_000, HIGHEST_NANOS, 3);
    final Recorder uncorrected = new Recorder(1_000, HIGHEST_NANOS, 3);
    final Recorder connectTime = new Recorder(1_000, HIGHEST_NANOS, 3);
    final LongAdder requests = new LongAdder();
    /** Replies in warmup and measurement alike, for the progress line. */
    final LongAdder allReplies = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
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

    void replied(long intendedNanos, long sentNanos, long nowNanos, int requestBytes, int replyBytes) {
        allReplies.increment();
        if (!measuring) {
            return;
        }
        corrected.recordValue(Math.min(HIGHEST_NANOS, nowNanos - intendedNanos));
        uncorrected.recordValue(Math.min(HIGHEST_NANOS, nowNanos - sentNanos));
        requests.increment();
        bytesSent.add(requestBytes);
        bytesReceived.add(replyBytes);
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
