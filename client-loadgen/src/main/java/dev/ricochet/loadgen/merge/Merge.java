package dev.ricochet.loadgen.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.run.Counts;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.NotUp;
import dev.ricochet.loadgen.run.PhaseTally;
import dev.ricochet.loadgen.run.RunResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Adds up the reports of one run's shards into the report of the whole run: histograms added
 * (percentiles of the sum, never averages), counts summed, the measurement window the one
 * common to every shard, the timelines added by wall-clock second ({@link TimelineMerge}).
 * Reports that are not of one run are refused.
 */
final class Merge {

    /** The options that differ between the shards of one run, by name as the reports echo them. */
    private static final Set<String> SHARD_OPTIONS = Set.of("shard", "shards");

    private Merge() {
    }

    /**
     * @param reports every shard's report, in any order
     * @throws IllegalArgumentException with a one-line reason when they are not every shard of
     *                                  one run, once each, with windows that overlap
     */
    static MergedRun of(List<ShardReport> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("no report to merge");
        }
        List<ShardReport> shards = reports.stream().sorted(Comparator.comparingInt(ShardReport::index)).toList();
        requireEveryShardOnce(shards);
        requireOneRun(shards);
        long commonStart = shards.stream().mapToLong(s -> s.result().timing().measureStartMillis()).max().orElseThrow();
        long commonEnd = shards.stream().mapToLong(s -> s.result().timing().measureEndMillis()).min().orElseThrow();
        if (commonStart >= commonEnd) {
            ShardReport late = shards.stream().max(Comparator.comparingLong(s -> s.result().timing().measureStartMillis()))
                    .orElseThrow();
            ShardReport early = shards.stream().min(Comparator.comparingLong(s -> s.result().timing().measureEndMillis()))
                    .orElseThrow();
            throw new IllegalArgumentException("the measurements do not overlap: shard " + early.index() + " ("
                    + early.source() + ") measured " + window(early) + ", shard " + late.index() + " (" + late.source()
                    + ") " + window(late) + " (start the shards with one --start-at)");
        }
        return new MergedRun(shards, sum(shards, commonStart, commonEnd), commonStart, commonEnd,
                TimelineMerge.of(shards));
    }

    private static void requireEveryShardOnce(List<ShardReport> shards) {
        int count = shards.get(0).count();
        for (ShardReport shard : shards) {
            if (shard.count() != count) {
                throw new IllegalArgumentException(shard.source() + " is a shard of " + shard.count() + ", "
                        + shards.get(0).source() + " of " + count + ": not shards of one run");
            }
        }
        Map<Integer, List<ShardReport>> byIndex = shards.stream()
                .collect(Collectors.groupingBy(ShardReport::index));
        for (int index = 0; index < count; index++) {
            List<ShardReport> given = byIndex.getOrDefault(index, List.of());
            if (given.size() > 1) {
                throw new IllegalArgumentException("shard " + index + " of " + count + " given twice: "
                        + given.get(0).source() + " and " + given.get(1).source());
            }
            if (given.isEmpty()) {
                throw new IllegalArgumentException("shard " + index + " of " + count + " missing (given: shards "
                        + shards.stream().map(s -> String.valueOf(s.index())).collect(Collectors.joining(", ")) + ")");
            }
        }
    }

    /** Every option but the shard's own must be the same: one target, one workload, one load. */
    private static void requireOneRun(List<ShardReport> shards) {
        ShardReport first = shards.get(0);
        for (ShardReport other : shards.subList(1, shards.size())) {
            Set<String> names = new LinkedHashSet<>();
            first.options().fieldNames().forEachRemaining(names::add);
            other.options().fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (SHARD_OPTIONS.contains(name)) {
                    continue;
                }
                JsonNode a = first.options().get(name);
                JsonNode b = other.options().get(name);
                if (a == null || b == null || !a.equals(b)) {
                    throw new IllegalArgumentException(other.source() + " is not of the run of " + first.source()
                            + ": --" + name.replace('_', '-') + " " + shown(b) + " against " + shown(a));
                }
            }
        }
    }

    private static String shown(JsonNode value) {
        return value == null ? "(not echoed)" : value.isNull() ? "(not given)" : value.asText();
    }

    private static String window(ShardReport shard) {
        return Instant.ofEpochMilli(shard.result().timing().measureStartMillis()) + " to "
                + Instant.ofEpochMilli(shard.result().timing().measureEndMillis());
    }

    /** The whole run's result: every count summed, every histogram added, the common window. */
    private static RunResult sum(List<ShardReport> shards, long commonStart, long commonEnd) {
        Latencies latencies = new Latencies();
        Counts counts = new Counts();
        Histogram connectTime = shards.get(0).result().connections().connectTime().copy();
        connectTime.reset();
        List<String> mismatchSamples = new ArrayList<>();
        List<String> otherSamples = new ArrayList<>();
        double seconds = 0;
        double connectPhase = 0;
        double warmup = Double.MAX_VALUE;
        long cpuNanos = 0;
        double planned = 0;
        for (ShardReport shard : shards) {
            RunResult r = shard.result();
            latencies.add(r.latencies());
            counts.add(r.counts());
            Latencies.add(connectTime, r.connections().connectTime());
            // Each shard kept its first few; together they are the first few of each shard.
            r.errors().mismatchSamples().forEach(s -> mismatchSamples.add("shard " + shard.index() + ": " + s));
            r.errors().otherSamples().forEach(s -> otherSamples.add("shard " + shard.index() + ": " + s));
            seconds += r.timing().measuredSeconds();
            connectPhase = Math.max(connectPhase, r.timing().connectPhaseSeconds());
            warmup = Math.min(warmup, r.timing().warmupSeconds());
            cpuNanos += r.timing().cpuNanos();
            planned += r.plannedPerSecond();
        }
        List<RunResult> results = shards.stream().map(ShardReport::result).toList();
        RunResult.Errors errors = new RunResult.Errors(
                sumKinds(results, r -> r.errors().byKind(), ErrorKind.class),
                sumKinds(results, r -> r.errors().failedMeasured(), ErrorKind.class),
                sumKinds(results, r -> r.errors().failedWholeRun(), ErrorKind.class),
                mismatchSamples, otherSamples);
        RunResult.Connections connections = new RunResult.Connections(connectTime,
                results.stream().mapToLong(r -> r.connections().established()).sum(),
                results.stream().mapToLong(r -> r.connections().reconnects()).sum(),
                sumKinds(results, r -> r.connections().connectFailures(), ErrorKind.class),
                sumKinds(results, r -> r.connections().lost(), ErrorKind.class),
                results.stream().mapToInt(r -> r.connections().openAtEnd()).sum(),
                sumKinds(results, r -> r.connections().notUpAtEnd(), NotUp.class),
                results.stream().mapToLong(r -> r.connections().neverUp()).sum());
        // The shards measured for one --duration each, within milliseconds: their mean length
        // is the run's, so that the rates are the sum of the shards' own.
        // The shortest warmup, the longest connect phase: what the run's header then says of them.
        RunResult.Timing timing = new RunResult.Timing(connectPhase, warmup, seconds / shards.size(), commonStart,
                commonEnd, cpuNanos);
        return new RunResult(latencies, counts, errors, connections, timing, planned, sumPhases(shards));
    }

    /**
     * The rate profile's phases of the whole run, each the sum of the shards' (they ran one
     * profile: their options are the same). Counts add; histograms add exactly.
     */
    private static List<PhaseTally> sumPhases(List<ShardReport> shards) {
        ShardReport first = shards.get(0);
        int count = first.result().phases().size();
        List<PhaseTally> sums = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            sums.add(new PhaseTally());
        }
        for (ShardReport shard : shards) {
            List<PhaseTally> phases = shard.result().phases();
            if (phases.size() != count) {
                throw new IllegalArgumentException(shard.source() + " has " + phases.size() + " phases, "
                        + first.source() + " " + count + ": not shards of one run");
            }
            for (int p = 0; p < count; p++) {
                sums.get(p).add(phases.get(p));
            }
        }
        return sums;
    }

    private static <K extends Enum<K>> Map<K, Long> sumKinds(List<RunResult> results,
            Function<RunResult, Map<K, Long>> counts, Class<K> kind) {
        Map<K, Long> sum = new EnumMap<>(kind);
        for (K k : kind.getEnumConstants()) {
            sum.put(k, 0L);
        }
        for (RunResult r : results) {
            counts.apply(r).forEach((k, n) -> sum.merge(k, n, Long::sum));
        }
        return sum;
    }
}
