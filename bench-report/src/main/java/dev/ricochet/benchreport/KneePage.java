package dev.ricochet.benchreport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.reporthtml.ChartStyle;
import dev.ricochet.reporthtml.Figure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The page of {@code bench/knee.sh}: each server's search, step by step (the rate tried, held
 * or missed, and the answer), and the corrected p99 at each rate against the goal; in its
 * rate-by-rate mode, the rate served and the p99 at each rate offered.
 */
final class KneePage {

    private static final Map<String, String> LABELS = Map.of("ricochet", "Ricochet", "reference", "reference epoll server");

    private KneePage() {
    }

    /** @throws IllegalArgumentException when {@code root} is not a knee report */
    static PageContent content(JsonNode root, Path source) {
        String mode = Facts.text(root, "mode");
        if (!root.path("servers").isObject() || !(mode.equals("find-rate") || mode.equals("rates"))) {
            throw new IllegalArgumentException(source + ": not a knee report (expected: 'mode' find-rate or rates, and "
                    + "a 'servers' object)");
        }
        double goal = root.path("p99_limit_ms").asDouble(Double.NaN);
        List<Figure> figures = mode.equals("find-rate")
                ? List.of(Figure.of("steps", KneeChart.steps(searches(root)), "Filled: the step held; hollow: it missed."
                                + " A dashed line: the search's answer."),
                        Figure.of("p99-by-rate", KneeChart.p99ByRate(searches(root), goal, false),
                                "Every step of every search; filled: held, hollow: missed."))
                : List.of(Figure.of("served", KneeChart.served(rates(root)), ""),
                        Figure.of("p99-by-rate", KneeChart.p99ByRate(rates(root), goal, true), ""));
        String title = mode.equals("find-rate") ? "The open-loop knee, searched" : "The open-loop knee";
        return new PageContent(title, facts(root, mode, goal).asMap(), figures, Set.of());
    }

    /** One series per server and round: the steps in the order tried. */
    private static List<KneeChart.Series> searches(JsonNode root) {
        List<KneeChart.Series> series = new ArrayList<>();
        forEachServer(root, (key, index, server) -> {
            JsonNode rounds = server.path("rounds");
            for (int r = 0; r < rounds.size(); r++) {
                JsonNode round = rounds.get(r);
                List<KneeChart.Step> steps = new ArrayList<>();
                for (JsonNode step : round.path("steps")) {
                    steps.add(new KneeChart.Step(step.path("step").asInt(), step.path("rate_per_second").asDouble(),
                            number(step.path("latency_corrected_ms").path("p99")),
                            step.path("outcome").asText().equals("held")));
                }
                double answer = round.path("answer_per_second").asDouble(0);
                String answerText = answer > 0 ? label(key) + (rounds.size() > 1 ? ", round " + (r + 1) : "") + ": "
                        + Facts.count(answer) + "/s" + (round.path("confirmed").asBoolean() ? "" : ", not confirmed") : "";
                series.add(new KneeChart.Series(label(key) + (rounds.size() > 1 ? ", round " + (r + 1) : ""),
                        colour(key, index) + 2 * r, steps, answer, answerText));
            }
        });
        return series;
    }

    /** One series per server: the rates in the order offered; the step number is the rate's place. */
    private static List<KneeChart.Series> rates(JsonNode root) {
        List<KneeChart.Series> series = new ArrayList<>();
        forEachServer(root, (key, index, server) -> {
            List<KneeChart.Step> steps = new ArrayList<>();
            int place = 1;
            for (JsonNode rate : server.path("rates")) {
                steps.add(new KneeChart.Step(place++, rate.path("offered_per_second").asDouble(),
                        number(rate.path("latency_corrected_ms").path("p99")), true,
                        number(rate.path("requests_per_second"))));
            }
            series.add(new KneeChart.Series(label(key), colour(key, index), steps, 0, ""));
        });
        return series;
    }

    private static Facts facts(JsonNode root, String mode, double goal) {
        StringBuilder command = new StringBuilder();
        variable(command, "CONNECTIONS", Facts.text(root, "connections"));
        variable(command, "P99_MS", Double.isNaN(goal) ? "" : ChartStyle.format("0.###").format(goal));
        JsonNode search = root.path("search");
        if (mode.equals("find-rate")) {
            variable(command, "FROM", Facts.text(search, "from_per_second"));
            variable(command, "PRECISION", Facts.text(search, "precision"));
            variable(command, "MAX_STEPS", Facts.text(search, "max_steps"));
            variable(command, "ROUNDS", String.valueOf(maxRounds(root)));
            variable(command, "DURATION", seconds(search.path("window_seconds")));
            variable(command, "WARMUP", seconds(search.path("warmup_seconds")));
        } else {
            List<String> rates = new ArrayList<>();
            forEachServer(root, (key, index, server) -> {
                if (index == 0) {
                    server.path("rates").forEach(rate -> rates.add(rate.path("offered_per_second").asText()));
                }
            });
            quoted(command, "RATES", String.join(" ", rates));
        }
        quoted(command, "SERVER_OPTIONS", Facts.text(root, "server_options"));
        quoted(command, "SERVER_JVM_OPTS", Facts.text(root, "server_jvm_options"));
        quoted(command, "LOADGEN_OPTIONS", Facts.text(root, "loadgen_options"));
        JsonNode connections = root.path("connections");
        return new Facts().run(root).loadAverage(root)
                .put("goal", Double.isNaN(goal) ? "" : "corrected p99 < " + ChartStyle.format("0.###").format(goal) + " ms"
                        + (connections.isNumber() ? " on " + Facts.count(connections.asDouble()) + " connections" : ""))
                .put("knee", knees(root, mode))
                .put("command", command + "bench/knee.sh");
    }

    /** "Ricochet 38,750 requests/s; reference epoll server not confirmed (50,000 requests/s held once)". */
    private static String knees(JsonNode root, String mode) {
        List<String> knees = new ArrayList<>();
        forEachServer(root, (key, index, server) -> {
            if (mode.equals("rates")) {
                JsonNode knee = server.path("knee_per_second");
                knees.add(label(key) + " " + (knee.isNumber() ? Facts.count(knee.asDouble()) + " requests/s"
                        : "none of the rates tried"));
                return;
            }
            List<String> answers = new ArrayList<>();
            for (JsonNode round : server.path("rounds")) {
                double answer = round.path("answer_per_second").asDouble(0);
                answers.add(round.path("confirmed").asBoolean() ? Facts.count(answer) + " requests/s"
                        : answer > 0 ? "not confirmed (" + Facts.count(answer) + " requests/s held once)"
                        : "none (no rate held)");
            }
            knees.add(label(key) + " " + String.join(", ", answers));
        });
        return String.join("; ", knees);
    }

    private interface ServerVisitor {
        void visit(String key, int index, JsonNode server);
    }

    private static void forEachServer(JsonNode root, ServerVisitor visitor) {
        int index = 0;
        for (var fields = root.path("servers").fields(); fields.hasNext(); index++) {
            Map.Entry<String, JsonNode> server = fields.next();
            visitor.visit(server.getKey(), index, server.getValue());
        }
    }

    private static int maxRounds(JsonNode root) {
        int rounds = 0;
        for (JsonNode server : root.path("servers")) {
            rounds = Math.max(rounds, server.path("rounds").size());
        }
        return rounds;
    }

    private static String label(String key) {
        return LABELS.getOrDefault(key, key);
    }

    /** Ricochet's and the reference's own colours, whatever the order; another server's by its place. */
    private static int colour(String key, int index) {
        return switch (key) {
            case "ricochet" -> ServerColours.RICOCHET;
            case "reference" -> ServerColours.REFERENCE;
            default -> 2 + index;
        };
    }

    private static void variable(StringBuilder command, String name, String value) {
        if (!value.isEmpty()) {
            command.append(name).append('=').append(value).append(' ');
        }
    }

    private static void quoted(StringBuilder command, String name, String value) {
        if (!value.isEmpty()) {
            variable(command, name, "\"" + value + "\"");
        }
    }

    private static String seconds(JsonNode node) {
        return node.isNumber() ? ChartStyle.format("0.###").format(node.asDouble()) : "";
    }

    private static double number(JsonNode node) {
        return node.isNumber() ? node.doubleValue() : Double.NaN;
    }
}
