package dev.ricochet.loadgen.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Every figure of a run, with the options used, as JSON (latencies in milliseconds). */
public final class JsonReport {

    private JsonReport() {
    }

    public static void write(Path file, LoadSpec spec, Map<String, Object> options, RunResult r) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.set("options", mapper.valueToTree(options));
        root.put("target", spec.target().getHostString() + ":" + spec.target().getPort());
        root.put("workload", spec.workloadName());
        root.put("load_model", !spec.workload().sendsRequests() ? "none" : spec.openLoop() ? "open" : "closed");
        root.put("transport", spec.transport().name());
        root.put("transport_reason", spec.transport().reason());
        root.put("seconds", r.seconds());
        root.put("connections_established", r.connected());
        root.put("connect_phase_seconds", r.connectSeconds());
        root.put("connections_open_at_end", r.openAtEnd());
        root.put("measure_start_epoch_ms", r.measureStartMillis());
        root.put("measure_end_epoch_ms", r.measureEndMillis());
        root.put("requests", r.requests());
        root.put("replies_including_warmup", r.allReplies());
        root.put("requests_per_second", r.requestsPerSecond());
        root.put("bytes_sent", r.bytesSent());
        root.put("bytes_received", r.bytesReceived());
        root.set("connect_time_ms", latencies(mapper, r.connectTime()));
        root.set("latency_corrected_ms", latencies(mapper, spec.openLoop() ? r.corrected() : r.uncorrected()));
        root.set("latency_uncorrected_ms", latencies(mapper, r.uncorrected()));
        ObjectNode errors = root.putObject("errors");
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind.name().toLowerCase(java.util.Locale.ROOT), r.errors().get(kind));
        }
        root.put("error_rate", r.errorRate());
        root.set("mismatch_samples", mapper.valueToTree(r.mismatchSamples()));
        root.put("loadgen_cpu_us_per_request", r.cpuNanosPerRequest() / 1e3);
        mapper.writeValue(file.toFile(), root);
    }

    private static ObjectNode latencies(ObjectMapper mapper, Histogram h) {
        ObjectNode node = mapper.createObjectNode();
        node.put("samples", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            for (double p : TextReport.PERCENTILES) {
                node.put("p" + TextReport.trim(p), h.getValueAtPercentile(p) / 1e6);
            }
            node.put("max", h.getMaxValue() / 1e6);
            node.put("mean", h.getMean() / 1e6);
        }
        return node;
    }
}
