package dev.ricochet.benchreport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.reporthtml.Figure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;

/**
 * The page of {@code bench/c10k-vs-reference.sh}: each server's figures side by side, the
 * reference epoll server's and Ricochet's, as its Markdown's first tables give them (medians
 * over the rounds), and the requests/s and errors of every round.
 */
final class C10kPage {

    private static final List<Server> SERVERS = List.of(
            new Server("reference", "reference epoll server", ServerColours.REFERENCE),
            new Server("ricochet", "Ricochet", ServerColours.RICOCHET));
    private static final int IPERF_ONE_WAY = 7;
    private static final int IPERF_BOTH_WAYS = 5;

    private record Server(String key, String label, int colour) {
    }

    private C10kPage() {
    }

    /** @throws IllegalArgumentException when {@code root} is not a c10k-vs-reference report */
    static PageContent content(JsonNode root, Path source) {
        JsonNode medians = root.path("medians_over_rounds");
        if (!medians.path("reference").isObject() || !medians.path("ricochet").isObject() || !root.path("runs").isArray()) {
            throw new IllegalArgumentException(source + ": not a c10k-vs-reference report (expected: "
                    + "'medians_over_rounds' with 'reference' and 'ricochet', and a 'runs' array)");
        }
        String connections = connections(root);
        List<Figure> figures = List.of(
                Figure.of("requests-per-second", requestsPerSecond(root, connections), ""),
                Figure.of("cpu-per-request", medianBars(medians, "Server CPU per request, µs (median)", "µs per request",
                        false, List.of("0.0", "0.00"), List.of("total", "of which user space"),
                        List.of("server_cpu_us_per_request", "server_user_cpu_us_per_request")), ""),
                Figure.of("latency", medianBars(medians, "Echo latency, ms (median)", "ms", false, List.of("#,##0.00"),
                        List.of("p50", "p99"), List.of("p50_ms", "p99_ms")), ""),
                Figure.of("rss", medianBars(medians, "Server RSS, MiB (median)", "MiB (log scale)", true, List.of("0.0"),
                        List.of("fresh", connections + " idle", connections + " busy", "peak (VmHWM)"),
                        List.of("server_rss_mib_fresh", "server_rss_mib_idle", "server_rss_mib_busy_at_end",
                                "server_rss_peak_mib")), ""),
                Figure.of("streaming", streaming(medians), ""),
                Figure.of("errors", byRound(root, "Echo errors per round (warmup included)", "errors",
                        run -> errors(run.path("echo")), List.of()), ""));
        return new PageContent("C10K: Ricochet against the reference epoll server", facts(root).asMap(), figures,
                Set.of());
    }

    private static Facts facts(JsonNode root) {
        JsonNode options = root.path("options");
        StringBuilder command = new StringBuilder();
        for (String name : List.of("connections", "duration", "warmup", "rounds")) {
            String value = Facts.text(options, name);
            if (!value.isEmpty()) {
                command.append(name.toUpperCase(Locale.ROOT)).append('=').append(value).append(' ');
            }
        }
        return new Facts().run(root)
                .machine(Facts.text(root, "cpus"), Facts.text(root, "java"), Facts.text(root, "kernel"))
                .loadAverage(root)
                .put("command", command + "bench/c10k-vs-reference.sh");
    }

    /** "10,000", the connections of the closed-loop echo. */
    private static String connections(JsonNode root) {
        String text = Facts.text(root.path("options"), "connections");
        return text.matches("[0-9]+") ? Facts.count(Double.parseDouble(text)) : text;
    }

    private static JFreeChart requestsPerSecond(JsonNode root, String connections) {
        JsonNode medians = root.path("medians_over_rounds");
        return byRound(root, "Echo, " + connections + " connections, closed loop: requests/s", "requests/s",
                run -> number(run.path("echo").path("requests_per_second")),
                SERVERS.stream().map(s -> number(medians.path(s.key()).path("requests_per_second"))).toList());
    }

    /** A group of bars per round, one server's run each, and a group of the medians when {@code medians} are given. */
    private static JFreeChart byRound(JsonNode root, String title, String axisLabel,
            ToDoubleFunction<JsonNode> figure, List<Double> medians) {
        TreeSet<Integer> rounds = new TreeSet<>();
        root.path("runs").forEach(run -> rounds.add(run.path("round").asInt()));
        List<String> groups = new ArrayList<>();
        rounds.forEach(round -> groups.add("round " + round));
        if (!medians.isEmpty()) {
            groups.add("median");
        }
        List<GroupedBars.Series> series = new ArrayList<>();
        for (int s = 0; s < SERVERS.size(); s++) {
            Server server = SERVERS.get(s);
            double[] values = new double[groups.size()];
            int g = 0;
            for (int round : rounds) {
                values[g++] = runOf(root, server.key(), round).map(figure::applyAsDouble).orElse(Double.NaN);
            }
            if (!medians.isEmpty()) {
                values[g] = medians.get(s);
            }
            series.add(new GroupedBars.Series(server.label(), server.colour(), values));
        }
        return GroupedBars.draw(title, axisLabel, false, groups, List.of("#,##0"), series);
    }

    private static JFreeChart medianBars(JsonNode medians, String title, String axisLabel,
            boolean logarithmic, List<String> formats, List<String> groups, List<String> fields) {
        List<GroupedBars.Series> series = new ArrayList<>();
        for (Server server : SERVERS) {
            double[] values = fields.stream().mapToDouble(f -> number(medians.path(server.key()).path(f))).toArray();
            series.add(new GroupedBars.Series(server.label(), server.colour(), values));
        }
        return GroupedBars.draw(title, axisLabel, logarithmic, groups, formats, series);
    }

    /** Bytes echoed each way, against iperf3's loopback ceiling, one way alone and both at once. */
    private static JFreeChart streaming(JsonNode medians) {
        List<String> ways = List.of("client_to_server_bytes_per_second", "server_to_client_bytes_per_second");
        List<GroupedBars.Series> series = new ArrayList<>();
        for (Server server : SERVERS) {
            double[] values = ways.stream()
                    .mapToDouble(way -> number(medians.path(server.key()).path("stream_" + way)) / 1e6).toArray();
            series.add(new GroupedBars.Series(server.label(), server.colour(), values));
        }
        JsonNode iperf = medians.path("loopback_ceiling_iperf3");
        if (iperf.isObject()) {
            series.add(new GroupedBars.Series("iperf3, one way alone", IPERF_ONE_WAY, new double[] {
                number(iperf.path("up").path(ways.get(0))) / 1e6, number(iperf.path("down").path(ways.get(1))) / 1e6}));
            series.add(new GroupedBars.Series("iperf3, both ways at once", IPERF_BOTH_WAYS, new double[] {
                number(iperf.path("bidir").path(ways.get(0))) / 1e6, number(iperf.path("bidir").path(ways.get(1))) / 1e6}));
        }
        return GroupedBars.draw("Streaming: bytes that arrived, MB/s (median)", "MB/s (10^6 bytes)", false,
                List.of("client → server", "server → client"), List.of("#,##0"), series);
    }

    private static Optional<JsonNode> runOf(JsonNode root, String server, int round) {
        for (JsonNode run : root.path("runs")) {
            if (run.path("server").asText().equals(server) && run.path("round").asInt() == round) {
                return Optional.of(run);
            }
        }
        return Optional.empty();
    }

    private static double errors(JsonNode phase) {
        JsonNode errors = phase.path("errors");
        if (!errors.isObject()) {
            return Double.NaN;
        }
        double total = 0;
        for (JsonNode count : errors) {
            total += count.asDouble();
        }
        return total;
    }

    private static double number(JsonNode node) {
        return node.isNumber() ? node.doubleValue() : Double.NaN;
    }
}
