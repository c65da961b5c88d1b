package dev.ricochet.loadgen;

import dev.ricochet.loadgen.report.HistogramText;
import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the load generator in this JVM, as the command line would: on one I/O thread, with a JSON
 * report, unless told to run exactly the arguments given.
 */
final class Loadgen {

    /** What a run printed, its exit code, and its JSON report (null when it wrote none). */
    record Outcome(int exitCode, String out, String err, JsonNode json) {

        /** A histogram the JSON report carries, decoded (nanoseconds). */
        Histogram histogram(String name) {
            return HistogramText.decode(json.get("histograms").get(name).asText());
        }

        /** The JSON figure at a path of field names, as a long. */
        long figure(String... path) {
            JsonNode node = json;
            for (String name : path) {
                node = node.get(name);
                if (node == null) {
                    throw new AssertionError("no " + String.join(".", path) + " in the report: " + json);
                }
            }
            return node.asLong();
        }

        /** Every request sent had exactly one fate: answered, shed, failed or unanswered at the end. */
        boolean everySentRequestIsAccountedFor() {
            JsonNode w = json.get("whole_run");
            long sentFates = w.get("accounted").asLong() - w.get("unanswered_at_end_never_sent").asLong();
            return w.get("sent").asLong() == sentFates;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + out + err;
        }
    }

    private Loadgen() {
    }

    static Outcome run(Path work, String... args) {
        Path json = work.resolve("report-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--json", json.toString(), "--io-threads", "1"));
        return execute(json, all.toArray(String[]::new));
    }

    /** Runs exactly {@code args}, adding nothing; the outcome has no JSON report. */
    static Outcome runExactly(String... args) {
        return execute(null, args);
    }

    private static Outcome execute(Path json, String[] args) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            JsonNode report = json != null && Files.exists(json) ? new ObjectMapper().readTree(json.toFile()) : null;
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
