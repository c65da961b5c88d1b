package dev.ricochet.loadgen.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ricochet.loadgen.report.Report;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RunResult;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What a merged report adds to a single run's: the window the shards measured in common, how
 * far apart they started and ended, and a line per shard (text), or a {@code merged} section
 * (JSON, see {@link #section}).
 */
final class MergeReport implements Report {

    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final MergedRun run;

    MergeReport(PrintStream out, MergedRun run) {
        this.out = out;
        this.run = run;
    }

    @Override
    public void end(LoadSpec spec, RunResult result) {
        out.printf(Locale.ROOT, "  Merged         %d shards; measured in common from %s to %s (%.3f s): starts %d ms"
                        + " apart, ends %d ms apart%s%n", run.shards().size(), instant(run.commonStart()),
                instant(run.commonEnd()), run.commonSeconds(), run.startSkewMillis(), run.endSkewMillis(),
                mostlyCommon(result) ? "" : String.format(Locale.ROOT, "; only %.0f%% of a shard's measurement, so the"
                        + " shards' rates were not all offered at once (start them with one --start-at)",
                        100 * run.commonSeconds() / result.timing().measuredSeconds()));
        for (ShardReport shard : run.shards()) {
            RunResult r = shard.result();
            out.printf(Locale.ROOT, "  Shard %-8d %d connections (%d up at the end)%s: %d answered (%.1f/s), %d shed,"
                            + " %d errors, %d reconnects, p99 %s; measured from %s for %.3f s; %s%n",
                    shard.index(), connections(spec, shard), r.connections().openAtEnd(), planned(r),
                    r.requests(), r.requestsPerSecond(), r.measured().shed(), r.totalErrors(),
                    r.connections().reconnects(), p99(latency(spec, r)),
                    instant(r.timing().measureStartMillis()), r.timing().measuredSeconds(),
                    shard.source());
        }
    }

    /**
     * Whether the shards measured nearly the same window, so that the sum of their rates is
     * a rate the server was offered: the common window at least 90% of a shard's measurement.
     */
    private boolean mostlyCommon(RunResult result) {
        return run.commonSeconds() >= 0.9 * result.timing().measuredSeconds();
    }

    /** The {@code merged} section of the JSON report: the window, and each shard's own figures. */
    JsonNode section(LoadSpec spec) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        merged.put("shards", run.shards().size());
        merged.put("common_start_epoch_ms", run.commonStart());
        merged.put("common_end_epoch_ms", run.commonEnd());
        merged.put("common_seconds", run.commonSeconds());
        merged.put("common_fraction", run.commonSeconds() / run.result().timing().measuredSeconds());
        merged.put("start_skew_ms", run.startSkewMillis());
        merged.put("end_skew_ms", run.endSkewMillis());
        ArrayNode shards = merged.putArray("per_shard");
        for (ShardReport shard : run.shards()) {
            RunResult r = shard.result();
            ObjectNode s = shards.addObject();
            s.put("index", shard.index());
            s.put("source", shard.source());
            s.put("connections", connections(spec, shard));
            s.put("connections_open_at_end", r.connections().openAtEnd());
            s.put("planned_requests_per_second", r.plannedPerSecond());
            s.put("requests", r.requests());
            s.put("requests_per_second", r.requestsPerSecond());
            s.put("shed", r.measured().shed());
            s.put("errors", r.totalErrors());
            s.put("reconnects", r.connections().reconnects());
            Histogram latency = latency(spec, r);
            if (latency.getTotalCount() > 0) {
                s.put("latency_corrected_p99_ms", latency.getValueAtPercentile(99) / 1e6);
            } else {
                s.putNull("latency_corrected_p99_ms");
            }
            s.put("measure_start_epoch_ms", r.timing().measureStartMillis());
            s.put("measure_end_epoch_ms", r.timing().measureEndMillis());
            s.put("seconds", r.timing().measuredSeconds());
            s.put("transport", shard.transport());
            s.put("io_threads", shard.ioThreads());
        }
        return merged;
    }

    /** Milliseconds always shown, so that the lines of a report align. */
    private static String instant(long epochMillis) {
        return MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** The shard's connections, as {@code --shard} split the run's. */
    private static int connections(LoadSpec spec, ShardReport shard) {
        return new LoadSpec.Shard(shard.index(), shard.count(), spec.network().connections(), spec.load().rate())
                .connections();
    }

    private static String planned(RunResult r) {
        return r.plannedPerSecond() > 0 ? String.format(Locale.ROOT, ", %.1f planned/s", r.plannedPerSecond()) : "";
    }

    /** The latency the single run's report leads with: corrected in open loop, else as measured. */
    private static Histogram latency(LoadSpec spec, RunResult r) {
        return r.latencies().leading(spec.openLoop());
    }

    private static String p99(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3fms", h.getValueAtPercentile(99) / 1e6);
    }
}
