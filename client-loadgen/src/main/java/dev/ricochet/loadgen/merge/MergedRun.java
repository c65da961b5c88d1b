package dev.ricochet.loadgen.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ricochet.loadgen.run.ClientTransport;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RunResult;
import dev.ricochet.loadgen.workload.EchoWorkload;
import dev.ricochet.loadgen.workload.IdleWorkload;
import dev.ricochet.loadgen.workload.NumberMix;
import dev.ricochet.loadgen.workload.PrimeWorkload;
import dev.ricochet.loadgen.workload.Workload;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The shards of one run, added up ({@link Merge}).
 *
 * @param shards      every shard's report, by index
 * @param result      the whole run's figures
 * @param commonStart the start of the window every shard measured (epoch milliseconds): the
 *                    latest shard's start
 * @param commonEnd   its end: the earliest shard's end
 */
record MergedRun(List<ShardReport> shards, RunResult result, long commonStart, long commonEnd) {

    /**
     * The run the shards made together, from the options they echo: the run's connections and
     * rate, its target unresolved (the merge may run where the target's name does not resolve).
     */
    LoadSpec spec() {
        ObjectNode o = shards.get(0).options();
        String target = o.get("target").asText();
        int colon = target.lastIndexOf(':');
        InetSocketAddress address = InetSocketAddress.createUnresolved(
                target.substring(0, colon).replaceAll("^\\[|]$", ""), Integer.parseInt(target.substring(colon + 1)));
        int connections = o.get("connections").asInt();
        double rate = o.get("rate").asDouble();
        return new LoadSpec(address, workload(o),
                new LoadSpec.Network(connections, o.get("connect_rate").asInt(), duration(o, "connect_timeout"),
                        List.of(), shards.stream().mapToInt(ShardReport::ioThreads).sum(), transport()),
                new LoadSpec.Timing(duration(o, "warmup"), duration(o, "duration"),
                        o.get("start_at").isNull() ? null : Instant.parse(o.get("start_at").asText())),
                new LoadSpec.Load(o.get("pipeline").asInt(), rate, duration(o, "timeout")),
                new LoadSpec.PassLimits(o.get("max_error_rate").asDouble(), o.get("max_shed_rate").asDouble(),
                        o.get("min_achieved_rate").asDouble()),
                LoadSpec.Shard.whole(connections, rate));
    }

    /** The length of the window every shard measured, in seconds. */
    double commonSeconds() {
        return (commonEnd - commonStart) / 1e3;
    }

    /** How far apart the shards' measurements started, in milliseconds. */
    long startSkewMillis() {
        return commonStart - shards.stream().mapToLong(s -> s.result().timing().measureStartMillis()).min().orElseThrow();
    }

    /** How far apart the shards' measurements ended, in milliseconds. */
    long endSkewMillis() {
        return shards.stream().mapToLong(s -> s.result().timing().measureEndMillis()).max().orElseThrow() - commonEnd;
    }

    private static Workload workload(ObjectNode o) {
        int split = o.get("split").asInt();
        return switch (o.get("workload").asText()) {
            case "echo" -> new EchoWorkload(o.get("message_size").asInt(), split);
            case "prime" -> new PrimeWorkload(NumberMix.parse(o.get("numbers").asText(), o.get("seed").asLong(), split));
            default -> new IdleWorkload();
        };
    }

    private static Duration duration(JsonNode o, String name) {
        return Duration.parse(o.get(name).asText());
    }

    /** The shards' client transport; when they differ, which shards ran on which. */
    private ClientTransport transport() {
        Map<String, List<Integer>> byTransport = new LinkedHashMap<>();
        for (ShardReport shard : shards) {
            byTransport.computeIfAbsent(shard.transport() + " (" + shard.reason() + ")", t -> new java.util.ArrayList<>())
                    .add(shard.index());
        }
        if (byTransport.size() == 1) {
            ShardReport first = shards.get(0);
            return new ClientTransport(first.transport(), null, null, first.reason());
        }
        String which = byTransport.entrySet().stream()
                .map(e -> e.getKey() + " in shards " + e.getValue().stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
        return new ClientTransport("mixed", null, null, which);
    }
}
