package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The page's header: what ran against what (the title), the facts that say how (load model,
 * connections, measurement, whether a signal interrupted it, transport, TLS, the result in one
 * line), and the verdict with its reason, each read from the report.
 */
final class RunHeader {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private RunHeader() {
    }

    /** {@code echo load on 127.0.0.1:9090}, and which part of a run a shard's report is, or that it is merged. */
    static String title(JsonNode report) {
        String title = report.path("workload").asText() + " load on " + report.path("target").asText();
        JsonNode shard = report.path("shard");
        if (Cells.present(shard)) {
            return title + ", shard " + shard.path("index").asInt() + " of " + shard.path("count").asInt();
        }
        JsonNode merged = report.path("merged");
        if (Cells.present(merged)) {
            return title + ", " + merged.path("shards").asInt() + " shards merged";
        }
        return title;
    }

    static Map<String, String> facts(JsonNode report) {
        JsonNode options = report.path("options");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("load", load(report, options));
        facts.put("connections", connections(report, options));
        facts.put("measured", measured(report));
        JsonNode interrupted = report.path("interrupted");
        if (Cells.present(interrupted)) {
            // Beside the length measured: the figures cover only what ran, the verdict says FAILED.
            facts.put("interrupted", interrupted.path("text").asText() + ": the figures cover what ran of it");
        }
        facts.put("transport", report.path("transport").asText() + ", " + report.path("io_threads").asInt()
                + " I/O thread" + (report.path("io_threads").asInt() == 1 ? "" : "s"));
        facts.put("TLS", tls(report.path("tls")));
        facts.put("result", result(report));
        return facts;
    }

    /** Whether the report says the run passed; true when it has no verdict (see {@link #verdict}). */
    static boolean passed(JsonNode report) {
        return report.path("verdict").path("passed").asBoolean(true);
    }

    /** PASSED, or FAILED with the reason; null when the report has no verdict. */
    static String verdict(JsonNode report) {
        JsonNode verdict = report.path("verdict");
        if (!Cells.present(verdict)) {
            return null;
        }
        return verdict.path("passed").asBoolean() ? "PASSED" : "FAILED: " + verdict.path("reason").asText();
    }

    private static String load(JsonNode report, JsonNode options) {
        return switch (RunKind.of(report)) {
            case IDLE -> "idle: connections held, no requests";
            case CHURN -> "churn: " + Cells.count(options.path("churn").asLong()) + " connections opened a second, each"
                    + " closed after its connect" + (report.path("workload").asText().equals("idle") ? "" : " and one request");
            case CLOSED -> "closed loop, pipeline " + options.path("pipeline").asInt();
            case OPEN -> openLoad(options);
        };
    }

    private static String openLoad(JsonNode options) {
        String arrivals = options.path("arrivals").asText("uniform").equals("poisson") ? ", poisson arrivals" : "";
        String pipeline = ", pipeline " + options.path("pipeline").asInt();
        if (Cells.present(options.path("find_rate"))) {
            return "open loop, search for the highest rate with corrected " + options.path("find_rate").asText()
                    + arrivals + pipeline;
        }
        if (Cells.present(options.path("rate_profile"))) {
            return "open loop, rate profile " + options.path("rate_profile").asText() + arrivals + pipeline;
        }
        return "open loop, " + Cells.rate(options.path("rate").asDouble()) + " requests/s planned" + arrivals
                + pipeline;
    }

    private static String connections(JsonNode report, JsonNode options) {
        if (RunKind.of(report) == RunKind.CHURN) {
            return Cells.count(report.path("churn").path("opened_whole_run").asLong()) + " opened in the whole run";
        }
        JsonNode shard = report.path("shard");
        String count = Cells.present(shard)
                ? Cells.count(shard.path("connections").asLong()) + " of the run's " + Cells.count(
                        options.path("connections").asLong())
                : Cells.count(options.path("connections").asLong());
        return count + " (" + Cells.count(report.path("connections_open_at_end").asLong()) + " up at the end)";
    }

    private static String measured(JsonNode report) {
        String from = Cells.present(report.path("measure_start_epoch_ms"))
                ? " from " + WHEN.format(Instant.ofEpochMilli(report.path("measure_start_epoch_ms").asLong())) : "";
        if (Cells.present(report.path("find_rate"))) {
            return Cells.seconds(report.path("seconds").asDouble()) + from + ", the whole search";
        }
        return Cells.seconds(report.path("seconds").asDouble()) + from + ", after a "
                + Cells.seconds(report.path("warmup_seconds").asDouble()) + " warmup";
    }

    private static String tls(JsonNode tls) {
        if (!Cells.present(tls)) {
            return "none (plaintext)";
        }
        String provider = tls.path("provider").asText();
        return tls.path("insecure").asBoolean() ? provider + ", INSECURE: any server certificate trusted"
                : provider + ", " + tls.path("server_name").asText() + " verified (" + tls.path("trust").asText()
                        + " trust)";
    }

    /** The run in one line: what was done per second, the latency that leads, the errors. */
    private static String result(JsonNode report) {
        long errors = 0;
        for (JsonNode n : report.path("errors")) {
            errors += n.asLong();
        }
        String errorText = Cells.count(errors) + " error" + (errors == 1 ? "" : "s");
        RunKind kind = RunKind.of(report);
        if (kind == RunKind.IDLE) {
            return Cells.count(report.path("connections_open_at_end").asLong()) + " connections up at the end, "
                    + errorText;
        }
        if (kind == RunKind.CHURN) {
            return Cells.rate(report.path("churn").path("done_per_second").asDouble()) + " connections/s done, "
                    + "connect time p99 " + Cells.millis(report.path("connect_time_ms").path("p99")) + " ms, "
                    + errorText;
        }
        JsonNode latency = report.path("latency_corrected_ms");
        String p99 = latency.path("samples").asLong() == 0 ? "no latency samples"
                : (kind == RunKind.OPEN ? "corrected " : "") + "p99 " + Cells.millis(latency.path("p99")) + " ms";
        return String.format(Locale.ROOT, "%s requests/s answered, %s, %s",
                Cells.rate(report.path("requests_per_second")), p99, errorText);
    }
}
