package dev.ricochet.loadgen.report;

import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.Stage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A run's timeline: a point per interval (one a second, and the last, shorter one), from the
 * connect phase to the end of the measurement, collected from {@link Report#interval} as the
 * run goes: the JSON report's {@code timeline}, and every chart over time drawn from it.
 *
 * <p>Each point copies what it needs during the call (the interval's histograms and counts are
 * reused for the next one): counts, the errors and reconnects since the previous point, the
 * latency's figures, and, when the interval has latency samples, its histogram encoded. Memory:
 * one point per second, about a hundred bytes plus the encoded histogram (around a kilobyte;
 * none in the connect phase and the warmup): an hour-long run is 3,600 points, a few megabytes.
 * Once a second, on the thread that drives the run: reading the figures and encoding the
 * histogram are the work an {@code --hdr-log} does each second; nothing per request.
 */
public final class Timeline {

    /**
     * One interval of a run, or of a merged run, one wall-clock second of its shards added up.
     *
     * @param second            seconds since the run started, at the end of the interval
     * @param endMillis         the end of the interval, wall clock (epoch milliseconds)
     * @param intervalSeconds   the interval's length (the last one is usually shorter)
     * @param stage             where the run stood (see {@link LoadRun.Interval#stage})
     * @param connectionsUp     connections up at the end of the interval
     * @param requestsPerSecond verified replies per second over the interval, warmup included
     * @param answered          verified replies in the interval, warmup included
     * @param shed              requests shed in the interval, warmup included
     * @param reconnects        connections re-established in the interval
     * @param errors            errors counted in the interval, every kind, in {@link ErrorKind}'s order
     * @param latency           the figures of the latency the report leads with
     *                          ({@link dev.ricochet.loadgen.run.Latencies#leading}); no samples
     *                          outside the measurement
     * @param histogram         that latency's histogram, {@link HistogramText#encode encoded}
     *                          (nanoseconds); null when it has no samples
     */
    public record Point(double second, long endMillis, double intervalSeconds, Stage stage, int connectionsUp,
            double requestsPerSecond, long answered, long shed, long reconnects, Map<ErrorKind, Long> errors,
            LatencyFigures latency, String histogram) {

        public Point {
            errors = Collections.unmodifiableMap(new EnumMap<>(errors));
        }

        /** Errors of every kind in the interval. */
        public long errorsTotal() {
            long total = 0;
            for (long n : errors.values()) {
                total += n;
            }
            return total;
        }
    }

    private final boolean openLoop;
    private final List<Point> points;
    /** The run's errors and reconnects up to the previous point: each point counts its own. */
    private Map<ErrorKind, Long> errorsBefore = Map.of();
    private long reconnectsBefore;

    /**
     * An empty timeline, to collect a run's.
     *
     * @param openLoop whether the run is open loop: which latency the points carry, as the
     *                 report's {@code latency_corrected_ms} ({@link dev.ricochet.loadgen.run.Latencies#leading})
     */
    public Timeline(boolean openLoop) {
        this(openLoop, new ArrayList<>());
    }

    private Timeline(boolean openLoop, List<Point> points) {
        this.openLoop = openLoop;
        this.points = points;
    }

    /** A timeline made already: a merged run's, its shards' points added up. */
    public static Timeline of(List<Point> points) {
        return new Timeline(false, new ArrayList<>(points));
    }

    /** Adds the point of {@code interval}, copying what it needs out of it now. */
    public void add(LoadRun.Interval interval) {
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        interval.errorsByKindSoFar().forEach((kind, n) -> errors.put(kind, n - errorsBefore.getOrDefault(kind, 0L)));
        Histogram latency = interval.latencies().leading(openLoop);
        points.add(new Point(interval.elapsedSeconds(), interval.endMillis(), interval.nanos() / 1e9,
                interval.stage(), interval.open(), interval.requestsPerSecond(), interval.counts().answeredWholeRun(),
                interval.counts().shedWholeRun(), interval.reconnectsSoFar() - reconnectsBefore, errors,
                LatencyFigures.of(latency), latency.getTotalCount() > 0 ? HistogramText.encode(latency) : null));
        errorsBefore = Map.copyOf(interval.errorsByKindSoFar());
        reconnectsBefore = interval.reconnectsSoFar();
    }

    /** The points so far, in the order of the run. */
    public List<Point> points() {
        return Collections.unmodifiableList(points);
    }
}
