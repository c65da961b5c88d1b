package dev.ricochet.loadgen.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A latency histogram's figures as the JSON report writes every latency
 * ({@code latency_corrected_ms}, a timeline point's): its samples, and when it has any, p50 to
 * p99.99, the max and the mean, in milliseconds.
 *
 * @param samples the values recorded
 * @param millis  each figure by its name in the JSON ({@code p50}, {@code p90}, {@code p99},
 *                {@code p99.9}, {@code p99.99}, {@code max}, {@code mean}), in that order;
 *                empty without samples
 */
public record LatencyFigures(long samples, Map<String, Double> millis) {

    public LatencyFigures {
        millis = Collections.unmodifiableMap(new LinkedHashMap<>(millis));
    }

    /** The figures of {@code h} (nanoseconds), read now. */
    public static LatencyFigures of(Histogram h) {
        Map<String, Double> millis = new LinkedHashMap<>();
        if (h.getTotalCount() > 0) {
            for (double p : TextReport.PERCENTILES) {
                millis.put("p" + TextReport.trim(p), h.getValueAtPercentile(p) / 1e6);
            }
            millis.put("max", h.getMaxValue() / 1e6);
            millis.put("mean", h.getMean() / 1e6);
        }
        return new LatencyFigures(h.getTotalCount(), millis);
    }

    /** As the JSON has them: {@code {"samples": 0}} without samples. */
    public ObjectNode json() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("samples", samples);
        millis.forEach(node::put);
        return node;
    }
}
