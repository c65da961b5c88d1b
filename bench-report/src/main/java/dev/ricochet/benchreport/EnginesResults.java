package dev.ricochet.benchreport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code bench/results/engines.json}, as far as the charts read it. */
record EnginesResults(List<String> engines, List<EngineRun> runs, String caption) {

    EnginesResults {
        engines = List.copyOf(engines);
        runs = List.copyOf(runs);
    }

    /** @throws IllegalArgumentException when the file has no {@code engines} or {@code runs} array */
    static EnginesResults read(Path file) throws IOException {
        return of(new ObjectMapper().readTree(file.toFile()), file);
    }

    /**
     * @param source where {@code root} was read from, for the message
     * @throws IllegalArgumentException when it has no {@code engines} or {@code runs} array
     */
    static EnginesResults of(JsonNode root, Path source) {
        if (root == null || !root.path("engines").isArray() || !root.path("runs").isArray()) {
            throw new IllegalArgumentException(source + ": not an engines report (expected: arrays 'engines' and 'runs')");
        }
        List<String> engines = new ArrayList<>();
        root.path("engines").forEach(engine -> engines.add(engine.asText()));
        List<EngineRun> runs = new ArrayList<>();
        root.path("runs").forEach(run -> runs.add(run(run)));
        return new EnginesResults(engines, runs, caption(root));
    }

    List<EngineRun> runs(String scenario) {
        return runs.stream().filter(run -> run.scenario().equals(scenario)).toList();
    }

    /** Where an engine's colour comes from, so that it keeps it on every chart. */
    int indexOf(String engine) {
        return engines.indexOf(engine);
    }

    private static EngineRun run(JsonNode run) {
        return new EngineRun(
                run.path("engine").asText(),
                run.path("scenario").asText(),
                run.path("connections").asInt(),
                number(run.path("requests_per_second")),
                number(run.path("latency_ms").path("p99")),
                number(run.path("server_rss_peak_mib")),
                number(run.path("server_threads_peak")),
                number(run.path("errors_total")),
                number(run.path("echo_probe").path("latency_ms").path("p99")));
    }

    private static double number(JsonNode node) {
        return node.isNumber() ? node.doubleValue() : Double.NaN;
    }

    private static String caption(JsonNode root) {
        JsonNode options = root.path("options");
        return String.format("bench/compare-engines.sh, %s: %s measured after %s warmup, a fresh server per run",
                root.path("started").asText("?"), options.path("duration").asText("?"),
                options.path("warmup").asText("?"));
    }
}
