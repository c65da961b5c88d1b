package dev.ricochet.loadgen.run;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
 * Replies are counted per event loop ({@link LoopStats}: {@link Latencies} and {@link Counts})
 * and summed once per second; failures, rare by comparison, go straight into adders here.
 *
 * <p>Errors are counted once per victim: a connection that dies with requests outstanding
 * counts each of them as a failed request of the connection's error kind; one that dies with
 * none, or a connect that fails, counts one error. A connection that never came up (its TCP
 * connect, or its greeting, failed) is a failed connect, not a lost connection.
 */
public final class RunStats {

    /** One hour: a reply slower than that is clamped (and the run has other problems). */
    static final long HIGHEST_NANOS = 3_600_000_000_000L;
    private static final int MAX_SAMPLES = 5;

    final Recorder connectTime = new Recorder(1_000, HIGHEST_NANOS, 3);
    private final Map<EventExecutor, LoopStats> loops = new ConcurrentHashMap<>();
    final AtomicInteger open = new AtomicInteger();
    private final LongAdder established = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final Map<ErrorKind, LongAdder> errors = adders();
    private final Map<ErrorKind, LongAdder> failedMeasured = adders();
    private final Map<ErrorKind, LongAdder> failedAll = adders();
    private final Map<ErrorKind, LongAdder> connectFailures = adders();
    private final Map<ErrorKind, LongAdder> connectionsLost = adders();
    private final Map<NotUp, LongAdder> notUpAtEnd = adders(NotUp.class);
    private final LongAdder neverUp = new LongAdder();
    private final ConcurrentLinkedQueue<String> mismatchSamples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger mismatchSampleCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> otherSamples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger otherSampleCount = new AtomicInteger();
    /** Set by the driving thread once it has taken the measurement's start (its CPU, its wall clock) and until it ends. */
    volatile boolean measuring;
    /**
     * When the measurement starts, {@link System#nanoTime()} time: the event loops count a reply
     * as measured from then on by their own clock, not from when the driving thread wakes to set
     * {@link #measuring} (a request planned at the start can be answered before that).
     */
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private volatile boolean measurementEnded;

    RunStats() {
    }

    /** Called before the load starts: the measurement starts at {@code nanos}. */
    void measureFrom(long nanos) {
        measureFromNanos = nanos;
    }

    /** Called when the measurement ends: nothing is measured after. */
    void endMeasurement() {
        measurementEnded = true;
        measuring = false;
    }

    /** Whether an event seen at {@code nowNanos} belongs to the measurement. */
    boolean measuringAt(long nowNanos) {
        return nowNanos >= measureFromNanos && !measurementEnded;
    }

    private static Map<ErrorKind, LongAdder> adders() {
        return adders(ErrorKind.class);
    }

    private static <K extends Enum<K>> Map<K, LongAdder> adders(Class<K> keys) {
        Map<K, LongAdder> map = new EnumMap<>(keys);
        for (K key : keys.getEnumConstants()) {
            map.put(key, new LongAdder());
        }
        return map;
    }

    void established(boolean reconnect) {
        established.increment();
        if (reconnect) {
            reconnects.increment();
        }
    }

    void connectFailed(ErrorKind kind) {
        connectFailures.get(kind).increment();
        errors.get(kind).increment();
    }

    /**
     * Where a connection stood when the measurement ended, if it was not up; {@code everUp}
     * tells whether any of its connections came up during the run.
     */
    void notUpAtEnd(NotUp state, boolean everUp) {
        notUpAtEnd.get(state).increment();
        if (!everUp) {
            neverUp.increment();
        }
    }

    /** A connection ended before the run did; {@code outstanding} of its requests fail with it. */
    void connectionLost(ErrorKind kind, int outstanding) {
        connectionsLost.get(kind).increment();
        if (outstanding == 0) {
            errors.get(kind).increment();
            return;
        }
        requestsFailed(kind, outstanding);
    }

    /** Requests that failed while their connection lived on (a deadline passed as the run ended). */
    void requestsFailed(ErrorKind kind, int count) {
        errors.get(kind).add(count);
        failedAll.get(kind).add(count);
        if (measuring) {
            failedMeasured.get(kind).add(count);
        }
    }

    /** Keeps the first few reply mismatches, with where they happened. */
    void mismatchSample(String description) {
        if (mismatchSampleCount.incrementAndGet() <= MAX_SAMPLES) {
            mismatchSamples.add(description);
        }
    }

    /**
     * Keeps the first few failures whose kind does not say what happened (other, and TLS: an
     * untrusted certificate and a name mismatch are both TLS), so that the report can say.
     */
    void sampleOther(ErrorKind kind, Throwable cause) {
        if ((kind == ErrorKind.OTHER || kind == ErrorKind.TLS) && otherSampleCount.incrementAndGet() <= MAX_SAMPLES) {
            otherSamples.add(kind == ErrorKind.OTHER ? String.valueOf(cause) : kind.label() + ": " + cause);
        }
    }

    /** The stats of an event loop's connections; called on that loop. */
    LoopStats of(EventExecutor loop) {
        return loops.computeIfAbsent(loop, l -> new LoopStats());
    }

    /**
     * Sums what every event loop recorded since the last call into {@code sum}, emptied first,
     * each loop's tally taken on its own loop (so a reply being recorded is either in this
     * interval or in the next, never torn). Called from one thread only, while the loops run.
     * The run reuses one sum for its seconds: it holds this interval until the next take into it.
     */
    void takeInterval(Tally sum, long startMillis, long endMillis) {
        sum.reset();
        for (Map.Entry<EventExecutor, LoopStats> loop : loops.entrySet()) {
            if (loop.getKey().isShuttingDown()) {
                continue; // the run is being torn down; what it recorded is no longer collected
            }
            Tally taken = loop.getKey().submit(loop.getValue()::take).syncUninterruptibly().getNow();
            try {
                sum.add(taken);
            } finally {
                // The tally comes back as the loop's spare at the next take: it must be empty then.
                taken.reset();
            }
        }
        sum.latencies().cover(startMillis, endMillis);
    }

    /**
     * With a rate profile, once the measurement is over and nothing more is recorded: what every
     * event loop recorded per phase, added up, each loop's added on that loop.
     *
     * @param phases the profile's phases
     */
    List<PhaseTally> phases(int phases) {
        PhaseTally[] sums = new PhaseTally[phases];
        for (int p = 0; p < phases; p++) {
            sums[p] = new PhaseTally();
        }
        for (Map.Entry<EventExecutor, LoopStats> loop : loops.entrySet()) {
            if (!loop.getKey().isShuttingDown()) {
                loop.getKey().submit(() -> loop.getValue().addPhasesTo(sums)).syncUninterruptibly();
            }
        }
        return List.of(sums);
    }

    static Histogram newHistogram() {
        return new Histogram(1_000, HIGHEST_NANOS, 3);
    }

    /** Errors so far, every kind, in {@link ErrorKind}'s order. */
    Map<ErrorKind, Long> errors() {
        return sum(errors);
    }

    Map<ErrorKind, Long> failedMeasured() {
        return sum(failedMeasured);
    }

    Map<ErrorKind, Long> failedAll() {
        return sum(failedAll);
    }

    Map<ErrorKind, Long> connectFailures() {
        return sum(connectFailures);
    }

    Map<ErrorKind, Long> connectionsLost() {
        return sum(connectionsLost);
    }

    Map<NotUp, Long> notUpAtEnd() {
        return sum(notUpAtEnd);
    }

    long neverUp() {
        return neverUp.sum();
    }

    long established() {
        return established.sum();
    }

    long reconnects() {
        return reconnects.sum();
    }

    private static <K extends Enum<K>> Map<K, Long> sum(Map<K, LongAdder> adders) {
        Map<K, Long> sums = new LinkedHashMap<>(); // in enum order, as the EnumMap iterates
        adders.forEach((key, adder) -> sums.put(key, adder.sum()));
        return sums;
    }

    public List<String> mismatchSamples() {
        return new ArrayList<>(mismatchSamples);
    }

    List<String> otherSamples() {
        return new ArrayList<>(otherSamples);
    }

    public int openConnections() {
        return open.get();
    }
}
