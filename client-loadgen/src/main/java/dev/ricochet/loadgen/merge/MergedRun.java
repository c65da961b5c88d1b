package dev.ricochet.loadgen.merge;

import dev.ricochet.loadgen.report.Timeline;
import dev.ricochet.loadgen.run.ClientTransport;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RateProfile;
import dev.ricochet.loadgen.run.RunResult;
import dev.ricochet.loadgen.workload.EchoWorkload;
import dev.ricochet.loadgen.workload.IdleWorkload;
import dev.ricochet.loadgen.workload.NumberMix;
import dev.ricochet.loadgen.workload.PrimeWorkload;
import dev.ricochet.loadgen.workload.Workload;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * @param timeline    the shards' timelines added up by wall-clock second ({@link TimelineMerge});
 *                    none when a shard's report has none
 */
record MergedRun(List<ShardReport> shards, RunResult result, long commonStart, long commonEnd,
        List<Timeline.Point> timeline) {

    /**
     * The run the shards made together, from the options they echo: the run's connections and
     * rate, its target unresolved (the merge may run where the target's name does not resolve).
     */
    LoadSpec spec() {
        JsonFields o = new JsonFields(shards.get(0).source() + " options", shards.get(0).options());
        String target = o.text("target");
        int colon = target.lastIndexOf(':');
        InetSocketAddress address;
        try {
            address = InetSocketAddress.createUnresolved(target.substring(0, colon).replaceAll("^\\[|]$", ""),
                    Integer.parseInt(target.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw o.invalid("target", "HOST:PORT");
        }
        int connections = o.integer("connections");
        RateProfile profile = profile(o);
        double rate = profile != null ? profile.meanRate() : o.decimal("rate");
        return new LoadSpec(address, workload(o),
                new LoadSpec.Network(connections, o.integer("connect_rate"), o.duration("connect_timeout"),
                        List.of(), shards.stream().mapToInt(ShardReport::ioThreads).sum(), transport(),
                        shards.get(0).tls()),
                new LoadSpec.Timing(o.duration("warmup"), profile != null ? profile.duration() : o.duration("duration"),
                        o.instantOrNull("start_at")),
                new LoadSpec.Load(o.integer("pipeline"), rate, o.duration("timeout"), profile, arrivals(o)),
                new LoadSpec.PassLimits(o.decimal("max_error_rate"), o.decimal("max_shed_rate"),
                        o.decimal("min_achieved_rate")),
                LoadSpec.Shard.whole(connections, rate));
    }

    /** The run's rate profile, when it had one: the shards echo it as given. */
    private static RateProfile profile(JsonFields o) {
        String text = o.textOrNull("rate_profile");
        if (text == null) {
            return null;
        }
        try {
            return RateProfile.parse(text);
        } catch (IllegalArgumentException e) {
            throw o.invalid("rate_profile", RateProfile.SYNTAX);
        }
    }

    /** How the run spaced its requests; uniform when the shards do not say (they did not ask otherwise). */
    private static LoadSpec.Arrivals arrivals(JsonFields o) {
        String text = o.textOrNull("arrivals");
        if (text == null || text.equalsIgnoreCase("uniform")) {
            return LoadSpec.Arrivals.UNIFORM;
        }
        if (text.equalsIgnoreCase("poisson")) {
            return LoadSpec.Arrivals.poisson(o.number("seed"));
        }
        throw o.invalid("arrivals", "uniform or poisson");
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

    private static Workload workload(JsonFields o) {
        int split = o.integer("split");
        return switch (o.text("workload").toLowerCase(Locale.ROOT)) {
            case "echo" -> new EchoWorkload(o.integer("message_size"), split);
            case "prime" -> new PrimeWorkload(NumberMix.parse(o.text("numbers"), o.number("seed"), split));
            case "idle" -> new IdleWorkload();
            default -> throw o.invalid("workload", "echo, prime or idle");
        };
    }

    /** The shards' client transport; when they differ, which shards ran on which. */
    private ClientTransport transport() {
        Map<String, List<Integer>> byTransport = new LinkedHashMap<>();
        for (ShardReport shard : shards) {
            byTransport.computeIfAbsent(shard.transport() + " (" + shard.reason() + ")", t -> new ArrayList<>())
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
