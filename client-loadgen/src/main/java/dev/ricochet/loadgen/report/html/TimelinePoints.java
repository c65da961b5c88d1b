package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's {@code timeline}, a point per interval, read into one array per figure, as the
 * charts over time take them, in seconds since the run started.
 *
 * @param seconds       when each interval ended: where a count in it (a bar) or a state at its
 *                      end is drawn
 * @param middles       the middle of each interval: where a rate or a percentile over it is
 *                      drawn, so that a line of them is not half an interval late
 * @param endMillis     when each ended, on the wall clock (epoch milliseconds)
 * @param requests      verified replies per second
 * @param p99           the latency's p99, in milliseconds; NaN for an interval without samples
 * @param connections   connections up at its end
 * @param shed          requests shed in it
 * @param reconnects    connections re-established in it
 * @param errorsByKind  errors counted in it, by kind as the JSON names them, every kind the
 *                      points list, in their order
 */
record TimelinePoints(double[] seconds, double[] middles, long[] endMillis, double[] requests, double[] p99,
        double[] connections, double[] shed, double[] reconnects, Map<String, double[]> errorsByKind) {

    /** The timeline of {@code report}; empty when it has none. */
    static TimelinePoints of(JsonNode report) {
        JsonNode timeline = report.path("timeline");
        int n = timeline.size();
        TimelinePoints t = new TimelinePoints(new double[n], new double[n], new long[n], new double[n],
                new double[n], new double[n], new double[n], new double[n], new LinkedHashMap<>());
        for (int i = 0; i < n; i++) {
            JsonNode point = timeline.get(i);
            t.seconds[i] = point.path("second").asDouble();
            t.middles[i] = t.seconds[i] - point.path("interval_seconds").asDouble() / 2;
            t.endMillis[i] = point.path("end_epoch_ms").asLong();
            t.requests[i] = point.path("requests_per_second").asDouble();
            JsonNode latency = point.path("latency_corrected_ms");
            t.p99[i] = latency.path("samples").asLong() > 0 ? latency.path("p99").asDouble() : Double.NaN;
            t.connections[i] = point.path("connections_up").asDouble();
            t.shed[i] = point.path("shed").asDouble();
            t.reconnects[i] = point.path("reconnects").asDouble();
            for (Iterator<Map.Entry<String, JsonNode>> kinds = point.path("errors").fields(); kinds.hasNext(); ) {
                Map.Entry<String, JsonNode> kind = kinds.next();
                t.errorsByKind.computeIfAbsent(kind.getKey(), k -> new double[n])[i] = kind.getValue().asDouble();
            }
        }
        return t;
    }

    boolean isEmpty() {
        return seconds.length == 0;
    }

    /** The kinds of error that occurred at least once, in the points' order. */
    List<String> kindsThatOccurred() {
        List<String> kinds = new ArrayList<>();
        errorsByKind.forEach((kind, counts) -> {
            if (sum(counts) > 0) {
                kinds.add(kind);
            }
        });
        return kinds;
    }

    /**
     * When the measurement started, in the timeline's seconds: the report's start on the wall
     * clock, placed by the first point's end on both clocks (the points' ends fall off the
     * measurement's start, so a stage's points only roughly tell where it began).
     */
    double measureStart(JsonNode report) {
        return seconds[0] - (endMillis[0] - report.path("measure_start_epoch_ms").asLong()) / 1e3;
    }

    static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }
}
