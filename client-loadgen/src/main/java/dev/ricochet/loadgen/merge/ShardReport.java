package dev.ricochet.loadgen.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ricochet.loadgen.report.HistogramText;
import dev.ricochet.loadgen.run.Counts;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.NotUp;
import dev.ricochet.loadgen.run.RunResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One shard's JSON report ({@code --json}), read back: which part of which run it was, and
 * what it measured, as the {@link RunResult} it was written from.
 *
 * @param source    where it was read, for messages: the file, and the report's place in it
 *                  when the file holds several
 * @param index     the shard's number, from 0
 * @param count     the run's shards
 * @param options   the options echoed by the report, as given or defaulted
 * @param transport the client transport the shard ran on
 * @param reason    why that transport
 * @param ioThreads the shard's event loops
 * @param result    what the shard measured
 */
record ShardReport(String source, int index, int count, ObjectNode options, String transport, String reason,
        int ioThreads, RunResult result) {

    /**
     * @throws IllegalArgumentException when {@code report} is not a shard's report, or lacks
     *                                  what a merge needs (a report from before the load
     *                                  generator wrote its histograms)
     */
    static ShardReport read(String source, JsonNode report) {
        Fields f = new Fields(source, report);
        JsonNode shard = report.get("shard");
        if (shard == null) {
            throw new IllegalArgumentException(source + ": the report of a whole run, not of a shard (merge adds up"
                    + " the reports of runs given --shard or --shards)");
        }
        if (!(f.node("options") instanceof ObjectNode options)) {
            throw new IllegalArgumentException(source + ": 'options' is not an object");
        }
        Fields s = new Fields(source + " shard", shard);
        return new ShardReport(source, s.integer("index"), s.integer("count"), options, f.text("transport"),
                f.text("transport_reason"), f.integer("io_threads"), result(f));
    }

    private static RunResult result(Fields f) {
        Fields measured = f.object("measured");
        Fields wholeRun = f.object("whole_run");
        Fields connections = f.object("connections");
        Fields histograms = f.object("histograms");
        Latencies latencies = new Latencies();
        histograms.addHistogram("corrected", latencies.corrected());
        histograms.addHistogram("uncorrected", latencies.uncorrected());
        histograms.addHistogram("shed", latencies.shed());
        Histogram connectTime = histograms.histogram("connect_time");
        Counts counts = Counts.of(wholeRun.number("sent"), wholeRun.number("sent_again"), wholeRun.number("answered"), wholeRun.number("shed"),
                measured.number("answered"), measured.number("shed"), f.number("bytes_sent"),
                f.number("bytes_received"), f.numberOrZero("planned_requests"), measured.number("unanswered_at_end"),
                measured.number("unanswered_at_end_never_sent"));
        RunResult.Errors errors = new RunResult.Errors(f.kinds("errors", ErrorKind.class),
                measured.kinds("failed", ErrorKind.class), wholeRun.kinds("failed", ErrorKind.class),
                f.texts("mismatch_samples"), f.texts("other_error_samples"));
        Fields notUp = connections.object("not_up_at_end");
        RunResult.Connections c = new RunResult.Connections(connectTime, connections.number("established"),
                connections.number("reconnects"), connections.kinds("connect_failures", ErrorKind.class),
                connections.kinds("lost", ErrorKind.class), f.integer("connections_open_at_end"),
                notUp.kinds(null, NotUp.class), connections.number("never_up"));
        RunResult.Timing timing = new RunResult.Timing(f.decimal("connect_phase_seconds"),
                f.decimal("warmup_seconds"), f.decimal("seconds"),
                f.number("measure_start_epoch_ms"), f.number("measure_end_epoch_ms"),
                Math.round(f.decimal("loadgen_cpu_seconds") * 1e9));
        double planned = f.node("planned_requests_per_second").isNull() ? 0 : f.decimal("planned_requests_per_second");
        return new RunResult(latencies, counts, errors, c, timing, planned);
    }

    /** The fields of one JSON object, each required: a missing one is named in the message. */
    private record Fields(String where, JsonNode node) {

        JsonNode node(String name) {
            JsonNode value = node.get(name);
            if (value == null) {
                throw new IllegalArgumentException(where + ": no '" + name + "' (written by an older load generator,"
                        + " or not a load generator's report)");
            }
            return value;
        }

        Fields object(String name) {
            JsonNode value = node(name);
            if (!value.isObject()) {
                throw new IllegalArgumentException(where + ": '" + name + "' is not an object");
            }
            return new Fields(where + " " + name, value);
        }

        long number(String name) {
            JsonNode value = node(name);
            if (!value.canConvertToLong()) {
                throw new IllegalArgumentException(where + ": '" + name + "' is not a whole number: " + value);
            }
            return value.asLong();
        }

        long numberOrZero(String name) {
            return node(name).isNull() ? 0 : number(name);
        }

        int integer(String name) {
            return Math.toIntExact(number(name));
        }

        double decimal(String name) {
            JsonNode value = node(name);
            if (!value.isNumber()) {
                throw new IllegalArgumentException(where + ": '" + name + "' is not a number: " + value);
            }
            return value.asDouble();
        }

        String text(String name) {
            return node(name).asText();
        }

        List<String> texts(String name) {
            List<String> texts = new ArrayList<>();
            node(name).forEach(value -> texts.add(value.asText()));
            return texts;
        }

        /**
         * Counts by kind, every kind present (0 when the report has none of it).
         *
         * @param name the object holding them; null for this object itself
         */
        <K extends Enum<K>> Map<K, Long> kinds(String name, Class<K> kind) {
            Fields counts = name == null ? this : object(name);
            Map<K, Long> byKind = new EnumMap<>(kind);
            for (K k : kind.getEnumConstants()) {
                String key = k.name().toLowerCase(Locale.ROOT);
                byKind.put(k, counts.node.has(key) ? counts.number(key) : 0L);
            }
            return byKind;
        }

        Histogram histogram(String name) {
            try {
                return HistogramText.decode(node(name).asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": '" + name + "' is " + e.getMessage(), e);
            }
        }

        void addHistogram(String name, Histogram sum) {
            try {
                HistogramText.addTo(sum, node(name).asText());
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException(where + ": '" + name + "' is " + e.getMessage(), e);
            }
        }
    }
}
