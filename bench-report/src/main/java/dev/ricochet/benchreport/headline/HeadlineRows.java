package dev.ricochet.benchreport.headline;

import static dev.ricochet.benchreport.headline.Figures.NOT_RUN;
import static dev.ricochet.benchreport.headline.Figures.loadOf;
import static dev.ricochet.benchreport.headline.Figures.number;
import static dev.ricochet.benchreport.headline.Figures.oneDecimal;
import static dev.ricochet.benchreport.headline.Figures.twoDecimals;
import static dev.ricochet.benchreport.headline.Figures.whole;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rows of the README's headline table, read from the JSON the benchmark scripts write in
 * {@code bench/results}: Ricochet against the reference servers of Concurrent Servers, each
 * figure as the script's own Markdown summary gives it (medians over the rounds).
 */
final class HeadlineRows {

    static final String C10K = "c10k-vs-reference";
    static final String KNEE = "knee";
    static final String PRIME = "prime-vs-reference";
    static final String TLS = "tls";

    private static final String EPOLL = "against `epoll-server.c`";

    private HeadlineRows() {
    }

    /**
     * @throws IllegalArgumentException when a results file is missing or lacks a figure the table shows
     */
    static List<HeadlineRow> read(Path results) throws IOException {
        JsonNode c10k = json(results, C10K);
        List<HeadlineRow> rows = new ArrayList<>();
        rows.add(c10kEcho(c10k));
        rows.add(knee(json(results, KNEE)));
        rows.add(prime(json(results, PRIME)));
        rows.add(streaming(c10k));
        rows.add(tls(json(results, TLS)));
        rows.add(idleMemory(c10k));
        return rows;
    }

    private static HeadlineRow c10kEcho(JsonNode root) {
        JsonNode medians = root.path("medians_over_rounds");
        return new HeadlineRow(
                "C10K echo, " + whole(number(root.path("options").path("connections"), C10K + ": options.connections"))
                        + " connections in closed loop: requests/s at the server's CPU per request; " + EPOLL,
                rateAtCpu(medians.path("ricochet")), rateAtCpu(medians.path("reference")),
                C10K + ".md", started(root), rounds(root.path("options").path("rounds")) + ", load " + loadOf(root));
    }

    private static String rateAtCpu(JsonNode server) {
        if (server.isMissingNode()) {
            return NOT_RUN;
        }
        return whole(number(server.path("requests_per_second"), C10K + ": requests_per_second")) + "/s at "
                + oneDecimal(number(server.path("server_cpu_us_per_request"), C10K + ": server_cpu_us_per_request")) + " µs";
    }

    private static HeadlineRow streaming(JsonNode root) {
        JsonNode options = root.path("options");
        JsonNode medians = root.path("medians_over_rounds");
        return new HeadlineRow(
                "streaming, " + whole(number(options.path("stream_connections"), C10K + ": options.stream_connections"))
                        + " connections, " + Figures.bytes((long) number(options.path("stream_message_size"),
                                C10K + ": options.stream_message_size"))
                        + " frames: MB/s to the server / back; " + EPOLL,
                megabytesEachWay(medians.path("ricochet")), megabytesEachWay(medians.path("reference")),
                C10K + ".md", started(root), rounds(options.path("rounds")) + ", load " + loadOf(root));
    }

    private static String megabytesEachWay(JsonNode server) {
        if (server.isMissingNode()) {
            return NOT_RUN;
        }
        return whole(number(server.path("stream_client_to_server_bytes_per_second"), C10K + ": stream bytes") / 1e6)
                + " / " + whole(number(server.path("stream_server_to_client_bytes_per_second"), C10K + ": stream bytes") / 1e6);
    }

    private static HeadlineRow idleMemory(JsonNode root) {
        JsonNode medians = root.path("medians_over_rounds");
        return new HeadlineRow(
                "memory: RSS per idle connection, " + whole(number(root.path("options").path("connections"),
                        C10K + ": options.connections")) + " connections; " + EPOLL,
                kibPerConnection(medians.path("ricochet")), kibPerConnection(medians.path("reference")),
                C10K + ".md", started(root), rounds(root.path("options").path("rounds")) + ", load " + loadOf(root));
    }

    private static String kibPerConnection(JsonNode server) {
        return server.isMissingNode() ? NOT_RUN : oneDecimal(number(server.path("server_rss_kib_per_idle_connection"),
                C10K + ": server_rss_kib_per_idle_connection")) + " KiB";
    }

    private static HeadlineRow knee(JsonNode root) {
        boolean searched = root.path("mode").asText().equals("find-rate");
        String serverOptions = root.path("server_options").asText("");
        return new HeadlineRow(
                "the knee, open loop over " + whole(number(root.path("connections"), KNEE + ": connections"))
                        + " connections: the highest rate with a corrected p99 under "
                        + millis(number(root.path("p99_limit_ms"), KNEE + ": p99_limit_ms")) + "; " + EPOLL,
                kneeOf(root.path("servers").path("ricochet"), searched), kneeOf(root.path("servers").path("reference"), searched),
                KNEE + ".md", started(root),
                (searched ? "searched, " + rounds(root.path("servers").path("ricochet").path("rounds").size())
                        : "rate by rate") + ", load " + loadOf(root)
                        + (serverOptions.isBlank() ? "" : ", Ricochet with `" + serverOptions + "`"));
    }

    /** {@code 38,750/s}, or why there is no knee; one figure per round, as the script ran them. */
    private static String kneeOf(JsonNode server, boolean searched) {
        if (server.isMissingNode()) {
            return NOT_RUN;
        }
        if (!searched) {
            JsonNode knee = server.path("knee_per_second");
            return knee.isNumber() ? whole(knee.doubleValue()) + "/s" : "none of the rates tried";
        }
        List<String> rounds = new ArrayList<>();
        for (JsonNode round : server.path("rounds")) {
            JsonNode answer = round.path("answer_per_second");
            if (round.path("confirmed").asBoolean(false) && answer.isNumber()) {
                rounds.add(whole(answer.doubleValue()) + "/s");
            } else if (answer.isNumber()) {
                rounds.add("not confirmed: " + whole(answer.doubleValue()) + "/s held once");
            } else {
                rounds.add("none");
            }
        }
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException(KNEE + ": a server without rounds");
        }
        return String.join(" / ", rounds);
    }

    private static HeadlineRow prime(JsonNode root) {
        // Mix -> server -> requests/s of each run, in the order the script ran the mixes.
        Map<String, Map<String, List<Double>>> rates = new LinkedHashMap<>();
        int connections = 0;
        for (JsonNode run : root.path("runs")) {
            rates.computeIfAbsent(run.path("mix").asText(), mix -> new LinkedHashMap<>())
                    .computeIfAbsent(run.path("server").asText(), server -> new ArrayList<>())
                    .add(number(run.path("requests_per_second"), PRIME + ": requests_per_second"));
            connections = run.path("options").path("connections").asInt(connections);
        }
        if (rates.isEmpty()) {
            throw new IllegalArgumentException(PRIME + ": no runs");
        }
        int rounds = rates.values().iterator().next().getOrDefault("ricochet", List.of()).size();
        return new HeadlineRow(
                "prime, " + whole(connections) + " closed-loop connections, cache off: requests/s for "
                        + rates.keySet().stream().map(mix -> "`" + mix + "`").collect(Collectors.joining(" / "))
                        + "; against libuv's `uv-isprime-server.c`",
                mediansOf(rates, "ricochet"), mediansOf(rates, "reference"),
                PRIME + ".md", started(root), rounds(rounds) + ", load " + loadOf(root));
    }

    private static String mediansOf(Map<String, Map<String, List<Double>>> rates, String server) {
        return rates.values().stream()
                .map(servers -> servers.containsKey(server) ? whole(Figures.median(servers.get(server))) : NOT_RUN)
                .collect(Collectors.joining(" / "));
    }

    private static HeadlineRow tls(JsonNode root) {
        JsonNode options = root.path("options");
        JsonNode medians = root.path("medians_over_rounds");
        return new HeadlineRow(
                "TLS, " + whole(number(options.path("connections"), TLS + ": options.connections")) + " connections at "
                        + whole(number(options.path("rate"), TLS + ": options.rate"))
                        + " requests/s: server-side CPU per request, corrected p99; Ricochet's TLS against HAProxy"
                        + " in front of `epoll-server.c`",
                cpuAndP99(medians.path("ricochet-tls")), cpuAndP99(medians.path("haproxy-reference")),
                TLS + ".md", started(root), rounds(options.path("rounds")) + ", load " + loadOf(root));
    }

    private static String cpuAndP99(JsonNode target) {
        if (target.isMissingNode()) {
            return NOT_RUN;
        }
        return oneDecimal(number(target.path("rate_cpu_us_per_request"), TLS + ": rate_cpu_us_per_request")) + " µs, "
                + twoDecimals(number(target.path("rate_p99_ms"), TLS + ": rate_p99_ms")) + " ms";
    }

    private static String started(JsonNode root) {
        String started = root.path("started").asText("");
        if (started.isEmpty()) {
            throw new IllegalArgumentException("a results file without 'started'");
        }
        return started;
    }

    private static String rounds(JsonNode rounds) {
        return rounds((int) number(rounds, "options.rounds"));
    }

    private static String rounds(int rounds) {
        return rounds == 1 ? "1 round" : rounds + " rounds";
    }

    /** {@code 5 ms}, {@code 2.5 ms}: a limit as it was given. */
    private static String millis(double value) {
        return (value == Math.rint(value) ? whole(value) : String.valueOf(value)) + " ms";
    }

    private static JsonNode json(Path results, String name) throws IOException {
        Path file = results.resolve(name + ".json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": missing (written by bench/" + name + ".sh)");
        }
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": not a JSON object");
        }
        return root;
    }
}
