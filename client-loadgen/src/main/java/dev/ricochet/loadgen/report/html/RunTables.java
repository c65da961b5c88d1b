package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.reporthtml.HtmlPage;
import dev.ricochet.reporthtml.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The page below its charts: the report's figures as tables, in text a reader can copy and a
 * test can read, each cell one figure of the JSON written by {@link Cells}' rules.
 */
final class RunTables {

    /** The percentile columns, as the JSON names them. */
    static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9", "p99.99");

    private RunTables() {
    }

    static void addTo(HtmlPage page, JsonNode report) {
        page.section("latency", "Latency, milliseconds").table(percentiles(report));
        page.section("counts", "Requests, errors and connections").table(requests(report)).table(connections(report));
        if (report.path("phases").size() > 0) {
            page.section("phases", "Rate profile phases").paragraph("Each request counted in the phase of its planned"
                    + " send time; latency in milliseconds, corrected, from the planned send.").table(phases(report));
        }
        JsonNode findRate = report.path("find_rate");
        if (Cells.present(findRate)) {
            page.section("find-rate", "Search for the highest rate")
                    .paragraph(findRate.path("answer").path("text").asText())
                    .charts(List.of(RunCharts.steps(findRate))).table(steps(findRate));
        }
        if (Cells.present(report.path("churn"))) {
            page.section("churn", "Churn").table(churn(report.path("churn")));
        }
        JsonNode merged = report.path("merged");
        if (Cells.present(merged)) {
            page.section("shards", "Shards").paragraph(String.format(java.util.Locale.ROOT,
                    "%d shards, measured in common from %s to %s (%s): starts %d ms apart, ends %d ms apart.",
                    merged.path("shards").asInt(), Instant.ofEpochMilli(merged.path("common_start_epoch_ms").asLong()),
                    Instant.ofEpochMilli(merged.path("common_end_epoch_ms").asLong()),
                    Cells.seconds(merged.path("common_seconds").asDouble()), merged.path("start_skew_ms").asLong(),
                    merged.path("end_skew_ms").asLong())).table(shards(merged));
        }
        page.section("options", "Options").table(options(report.path("options")));
        Table samples = samples(report);
        if (!samples.rows().isEmpty()) {
            page.section("samples", "Error samples").table(samples);
        }
    }

    /**
     * A row per latency the report has samples of: corrected and uncorrected (a closed loop's
     * one latency), shed, send lag, connect time.
     */
    static Table percentiles(JsonNode report) {
        List<String> header = new ArrayList<>(List.of("latency", "samples"));
        header.addAll(PERCENTILES);
        header.addAll(List.of("max", "mean"));
        List<List<String>> rows = new ArrayList<>();
        RunKind kind = RunKind.of(report);
        if (kind == RunKind.OPEN) {
            latencyRow(rows, "corrected", report.path("latency_corrected_ms"));
            latencyRow(rows, "uncorrected", report.path("latency_uncorrected_ms"));
        } else if (kind == RunKind.CLOSED || report.path("latency_uncorrected_ms").path("samples").asLong() > 0) {
            latencyRow(rows, "latency", report.path("latency_uncorrected_ms"));
        }
        if (report.path("latency_shed_ms").path("samples").asLong() > 0) {
            latencyRow(rows, "shed", report.path("latency_shed_ms"));
        }
        if (Cells.present(report.path("send_lag_ms"))) {
            latencyRow(rows, "send lag", report.path("send_lag_ms"));
        }
        latencyRow(rows, "connect time", report.path("connect_time_ms"));
        return new Table("percentiles", header, rows);
    }

    private static void latencyRow(List<List<String>> rows, String name, JsonNode latency) {
        List<String> row = new ArrayList<>(List.of(name, Cells.count(latency.path("samples"))));
        for (String p : PERCENTILES) {
            row.add(Cells.millis(latency.path(p)));
        }
        row.add(Cells.millis(latency.path("max")));
        row.add(Cells.millis(latency.path("mean")));
        rows.add(row);
    }

    private static Table requests(JsonNode r) {
        List<List<String>> rows = new ArrayList<>();
        JsonNode measured = r.path("measured");
        JsonNode whole = r.path("whole_run");
        rows.add(List.of("measured", Cells.seconds(r.path("seconds").asDouble())));
        if (RunKind.countsRequests(r)) {
            rows.add(List.of("answered", Cells.count(measured.path("answered"))));
            rows.add(List.of("answered per second", Cells.rate(r.path("requests_per_second"))));
            if (Cells.present(r.path("planned_requests_per_second"))) {
                rows.add(List.of("planned per second", Cells.rate(r.path("planned_requests_per_second"))));
                rows.add(List.of("planned", Cells.count(r.path("planned_requests"))));
                rows.add(List.of("answered or shed of planned", Cells.percent(r.path("achieved_ratio").asDouble())
                        + " (at least " + Cells.percent(r.path("min_achieved_rate").asDouble()) + ")"));
            }
            rows.add(List.of("shed", Cells.count(measured.path("shed"))));
            rows.add(List.of("failed", kinds(measured.path("failed_total").asLong(), measured.path("failed"))));
            rows.add(List.of("unanswered at the end", Cells.count(measured.path("unanswered_at_end"))
                    + neverSent(measured.path("unanswered_at_end_never_sent").asLong())));
            rows.add(List.of("sent, whole run", Cells.count(whole.path("sent"))
                    + (whole.path("sent_again").asLong() > 0 ? " (" + Cells.count(whole.path("sent_again"))
                            + " sent again)" : "")));
            rows.add(List.of("answered, whole run", Cells.count(whole.path("answered"))));
        }
        long errors = 0;
        for (JsonNode n : r.path("errors")) {
            errors += n.asLong();
        }
        rows.add(List.of("errors, whole run", kinds(errors, r.path("errors"))));
        rows.add(List.of("error rate", Cells.fraction(r.path("error_rate")) + " (at most "
                + Cells.fraction(r.path("max_error_rate")) + ")"));
        if (RunKind.countsRequests(r)) {
            rows.add(List.of("shed rate", Cells.fraction(r.path("shed_rate")) + " (at most "
                    + Cells.fraction(r.path("max_shed_rate")) + ")"));
            rows.add(List.of("bytes sent", Cells.count(r.path("bytes_sent"))));
            rows.add(List.of("bytes received", Cells.count(r.path("bytes_received"))));
            rows.add(List.of("load generator CPU per request", Cells.millis(r.path("loadgen_cpu_us_per_request")
                    .asDouble() / 1e3) + " ms"));
        }
        return new Table("requests", List.of("requests", "count"), rows);
    }

    private static Table connections(JsonNode r) {
        JsonNode c = r.path("connections");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("established", Cells.count(c.path("established"))));
        rows.add(List.of("up at the end", Cells.count(r.path("connections_open_at_end"))));
        rows.add(List.of("reconnects", Cells.count(c.path("reconnects"))));
        rows.add(List.of("lost", kinds(sum(c.path("lost")), c.path("lost"))));
        rows.add(List.of("failed connects", kinds(sum(c.path("connect_failures")), c.path("connect_failures"))));
        JsonNode notUp = c.path("not_up_at_end");
        rows.add(List.of("not up at the end", kinds(notUp.path("total").asLong(), without(notUp, "total"))));
        rows.add(List.of("never up", Cells.count(c.path("never_up"))));
        rows.add(List.of("connect phase", Cells.seconds(r.path("connect_phase_seconds").asDouble())));
        return new Table("connection-counts", List.of("connections", "count"), rows);
    }

    private static Table phases(JsonNode r) {
        List<String> header = List.of("phase", "from s", "to s", "planned/s", "planned", "answered", "answered/s",
                "shed", "failed", "unanswered", "p50", "p99", "p99.9", "max", "uncorrected p99");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : r.path("phases")) {
            JsonNode c = p.path("latency_corrected_ms");
            double from = p.path("planned_rate_from").asDouble();
            double to = p.path("planned_rate_to").asDouble();
            rows.add(List.of(p.path("phase").asText(), number(p.path("start_seconds").asDouble()),
                    number(p.path("end_seconds").asDouble()),
                    from == to ? Cells.rate(from) : Cells.rate(from) + ".." + Cells.rate(to),
                    Cells.count(p.path("planned")), Cells.count(p.path("answered")),
                    Cells.rate(p.path("requests_per_second")), Cells.count(p.path("shed")),
                    Cells.count(p.path("failed")), Cells.count(p.path("unanswered_at_end")),
                    Cells.millis(c.path("p50")), Cells.millis(c.path("p99")), Cells.millis(c.path("p99.9")),
                    Cells.millis(c.path("max")), Cells.millis(p.path("latency_uncorrected_ms").path("p99"))));
        }
        return new Table("phase-table", header, rows);
    }

    private static Table steps(JsonNode findRate) {
        String goal = RunCharts.goalLabel(findRate);
        List<String> header = List.of("step", "rate/s", "answered/s", "p50", "p99", "p99.9", "max",
                goal + " (goal)", "uncorrected p99", "failed", "shed", "lost", "outcome");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : findRate.path("steps")) {
            JsonNode c = s.path("latency_corrected_ms");
            String outcome = s.path("held").asBoolean() ? "held" : s.path("outcome").asText() + ": "
                    + s.path("reason").asText();
            rows.add(List.of(s.path("step").asText(), Cells.count(s.path("rate_per_second")),
                    Cells.rate(s.path("requests_per_second")), Cells.millis(c.path("p50")),
                    Cells.millis(c.path("p99")), Cells.millis(c.path("p99.9")), Cells.millis(c.path("max")),
                    Cells.millis(s.path("goal_value_ms")), Cells.millis(s.path("latency_uncorrected_ms").path("p99")),
                    Cells.count(s.path("failed")), Cells.count(s.path("shed")), Cells.count(s.path("connections_lost")),
                    outcome + (s.path("repeat").asBoolean() ? " (the answer, repeated)" : "")));
        }
        return new Table("steps", header, rows);
    }

    private static Table churn(JsonNode churn) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("planned per second", Cells.rate(churn.path("planned_per_second"))));
        rows.add(List.of("done per second", Cells.rate(churn.path("done_per_second"))));
        rows.add(List.of("planned in the measurement", Cells.count(churn.path("planned"))));
        rows.add(List.of("done", Cells.count(churn.path("done"))));
        rows.add(List.of("failed", Cells.count(churn.path("failed"))));
        rows.add(List.of("opened, whole run", Cells.count(churn.path("opened_whole_run"))));
        rows.add(List.of("failed, whole run", Cells.count(churn.path("failed_whole_run"))));
        return new Table("churn-counts", List.of("connections", "count"), rows);
    }

    private static Table shards(JsonNode merged) {
        List<String> header = List.of("shard", "connections", "up at the end", "planned/s", "answered",
                "answered/s", "shed", "errors", "reconnects", "p99 ms", "measured", "report");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : merged.path("per_shard")) {
            rows.add(List.of(s.path("index").asText(), Cells.count(s.path("connections")),
                    Cells.count(s.path("connections_open_at_end")), Cells.rate(s.path("planned_requests_per_second")),
                    Cells.count(s.path("requests")), Cells.rate(s.path("requests_per_second")),
                    Cells.count(s.path("shed")), Cells.count(s.path("errors")), Cells.count(s.path("reconnects")),
                    Cells.millis(s.path("latency_corrected_p99_ms")), Cells.seconds(s.path("seconds").asDouble()),
                    s.path("source").asText()));
        }
        return new Table("per-shard", header, rows);
    }

    /** The options as the command line spells them, with the values given or defaulted. */
    private static Table options(JsonNode options) {
        List<List<String>> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> option = it.next();
            rows.add(List.of("--" + option.getKey().replace('_', '-'),
                    option.getValue().isNull() ? "(unset)" : option.getValue().asText()));
        }
        return new Table("option-values", List.of("option", "value"), rows);
    }

    private static Table samples(JsonNode r) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : r.path("mismatch_samples")) {
            rows.add(List.of("mismatch", s.asText()));
        }
        for (JsonNode s : r.path("other_error_samples")) {
            rows.add(List.of("other", s.asText()));
        }
        return new Table("error-samples", List.of("kind", "sample"), rows);
    }

    /** {@code 3 (timeout 2, reset 1)}: a total and its kinds that occurred; the total alone when it is 0. */
    private static String kinds(long total, JsonNode byKind) {
        StringBuilder s = new StringBuilder(Cells.count(total));
        String separator = " (";
        for (Iterator<Map.Entry<String, JsonNode>> it = byKind.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> kind = it.next();
            if (kind.getValue().asLong() > 0) {
                s.append(separator).append(kind.getKey().replace('_', ' ')).append(' ')
                        .append(Cells.count(kind.getValue().asLong()));
                separator = ", ";
            }
        }
        return separator.equals(", ") ? s.append(')').toString() : s.toString();
    }

    private static JsonNode without(JsonNode node, String field) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
        copy.remove(field);
        return copy;
    }

    private static long sum(JsonNode counts) {
        long sum = 0;
        for (JsonNode n : counts) {
            sum += n.asLong();
        }
        return sum;
    }

    private static String neverSent(long n) {
        return n == 0 ? "" : " (" + Cells.count(n) + " never sent)";
    }

    /** Seconds into the measurement, without trailing zeros. */
    private static String number(double seconds) {
        String s = Cells.seconds(seconds);
        return s.substring(0, s.length() - 2);
    }
}
