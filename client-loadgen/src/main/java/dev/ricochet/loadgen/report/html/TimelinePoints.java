package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's {@code timeline}, a point per interval, read into one array per figure, as the
 * charts over time take them: each value at the time its interval ended, in seconds since the
 * run started.
 *
 * @param seconds       when each interval ended
 * @param starts        when each began (its end less its length)
 * @param stages        where the run stood: connect, warmup or measure
 * @param requests      verified replies per second
 * @param p99           the latency's p99, in milliseconds; NaN for an interval without samples
 * @param connections   connections up at its end
 * @param shed          requests shed in it
 * @param reconnects    connections re-established in it
 * @param errorsByKind  errors counted in it, by kind as the JSON names them, every kind the
 *                      points list, in their order
 */
record TimelinePoints(double[] seconds, double[] starts, String[] stages, double[] requests, double[] p99,
        double[] connections, double[] shed, double[] reconnects, Map<String, double[]> errorsByKind) {

    /** The timeline of {@code report}; empty when it has none. */
    static TimelinePoints of(JsonNode report) {
        JsonNode timeline = report.path("timeline");
        int n = timeline.size();
        TimelinePoints t = new TimelinePoints(new double[n], new double[n], new String[n], new double[n],
                new double[n], new double[n], new double[n], new double[n], new LinkedHashMap<>());
        for (int i = 0; i < n; i++) {
            JsonNode point = timeline.get(i);
            t.seconds[i] = point.path("second").asDouble();
            t.starts[i] = t.seconds[i] - point.path("interval_seconds").asDouble();
            t.stages[i] = point.path("stage").asText();
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
     * The stretch of the run spent in {@code stage}: from the start of its first interval to
     * the end of its last; null when the run never was in it.
     */
    double[] stretch(String stage) {
        double from = Double.NaN;
        double to = Double.NaN;
        for (int i = 0; i < stages.length; i++) {
            if (stages[i].equals(stage)) {
                from = Double.isNaN(from) ? Math.max(0, starts[i]) : from;
                to = seconds[i];
            }
        }
        return Double.isNaN(from) ? null : new double[] {from, to};
    }

    static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }
}
