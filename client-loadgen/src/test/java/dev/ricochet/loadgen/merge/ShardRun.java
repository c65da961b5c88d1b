package dev.ricochet.loadgen.merge;

import dev.ricochet.loadgen.report.JsonReport;
import dev.ricochet.loadgen.report.RunDocument;
import dev.ricochet.loadgen.report.Timeline;
import dev.ricochet.loadgen.run.ClientTransport;
import dev.ricochet.loadgen.run.Counts;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.NotUp;
import dev.ricochet.loadgen.run.PhaseTally;
import dev.ricochet.loadgen.run.RateProfile;
import dev.ricochet.loadgen.run.RunResult;
import dev.ricochet.loadgen.workload.EchoWorkload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shard of an open-loop echo run of 10 connections at 100 requests/s, as its JSON report says
 * it: written by {@link RunDocument} and {@link JsonReport}, so that what a merge reads is what a
 * run writes.
 */
final class ShardRun {

    static final int CONNECTIONS = 10;
    static final double RATE = 100;

    final int index;
    final int count;
    final Map<String, Object> options = new LinkedHashMap<>();
    Latencies latencies = new Latencies();
    Counts counts = Counts.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    Map<ErrorKind, Long> errors = kinds(ErrorKind.class);
    Map<ErrorKind, Long> failedMeasured = kinds(ErrorKind.class);
    Map<ErrorKind, Long> failedWholeRun = kinds(ErrorKind.class);
    List<String> mismatchSamples = List.of();
    /** The run's rate profile; null for the constant {@link #RATE}. */
    RateProfile profile;
    /** With a profile: what each of its phases recorded. */
    List<PhaseTally> phases = List.of();
    long measureStartMillis = 1_800_000_000_000L;
    long measureEndMillis = measureStartMillis + 1_000;
    /** Its timeline's points; none unless a test gives some. */
    List<Timeline.Point> timeline = List.of();

    ShardRun(int index, int count) {
        this.index = index;
        this.count = count;
        options.put("target", "127.0.0.1:9090");
        options.put("workload", "echo");
        options.put("connections", CONNECTIONS);
        options.put("connect_rate", 5000);
        options.put("connect_timeout", "PT5S");
        options.put("duration", "PT1S");
        options.put("warmup", "PT0S");
        options.put("source_addresses", null);
        options.put("io_threads", null);
        options.put("transport", "auto");
        options.put("message_size", 64);
        options.put("split", 1);
        options.put("numbers", "12d");
        options.put("pipeline", 1);
        options.put("rate", RATE);
        options.put("timeout", "PT10S");
        options.put("max_error_rate", 0.0);
        options.put("max_shed_rate", 0.0);
        options.put("min_achieved_rate", 0.95);
        options.put("seed", 1);
        options.put("shard", index + "/" + count);
    }

    /** A shard whose every answered request took {@code nanos} (measured, and each one planned). */
    static ShardRun answering(int index, int count, long... nanos) {
        ShardRun shard = new ShardRun(index, count);
        for (long n : nanos) {
            shard.latencies.corrected().recordValue(n);
            shard.latencies.uncorrected().recordValue(n);
        }
        long answered = nanos.length;
        shard.counts = Counts.of(answered, 0, answered, 0, answered, 0, 66 * answered, 64 * answered, answered, 0, 0);
        return shard;
    }

    /**
     * The same shard of a run on the rate profile {@code spec} instead, echoed as the command line
     * echoes it: the profile given, the rate not, the duration the profile's.
     */
    ShardRun onProfile(String spec) {
        profile = RateProfile.parse(spec);
        options.put("duration", profile.duration().toString());
        options.put("rate", 0.0);
        options.put("rate_profile", spec);
        phases = profile.segments().stream().map(s -> new PhaseTally()).toList();
        return this;
    }

    LoadSpec.Shard part() {
        return new LoadSpec.Shard(index, count, CONNECTIONS, profile == null ? RATE : profile.meanRate());
    }

    RunResult result() {
        Map<NotUp, Long> notUp = kinds(NotUp.class);
        RunResult.Connections connections = new RunResult.Connections(new Latencies().shed(), part().connections(), 0,
                kinds(ErrorKind.class), kinds(ErrorKind.class), part().connections(), notUp, 0);
        return new RunResult(latencies, counts,
                new RunResult.Errors(errors, failedMeasured, failedWholeRun, mismatchSamples, List.of()),
                connections, new RunResult.Timing(0.01, 0, (measureEndMillis - measureStartMillis) / 1e3,
                        measureStartMillis, measureEndMillis, 1_000_000), part().rate(), phases);
    }

    /** The JSON report of this shard, as {@code --json -} writes it. */
    String json() {
        LoadSpec.Shard part = part();
        LoadSpec spec = new LoadSpec(InetSocketAddress.createUnresolved("127.0.0.1", 9090), new EchoWorkload(64, 1),
                new LoadSpec.Network(part.connections(), 5000, Duration.ofSeconds(5), List.of(), 1,
                        new ClientTransport("epoll", null, null, "auto: native epoll loaded")),
                new LoadSpec.Timing(Duration.ZERO, profile == null ? Duration.ofSeconds(1) : profile.duration()),
                new LoadSpec.Load(1, part.rate(), Duration.ofSeconds(10), profile, LoadSpec.Arrivals.UNIFORM),
                new LoadSpec.PassLimits(0, 0, 0.95), part);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            new RunDocument(options, Map.of(), Timeline.of(timeline),
                    List.of(new JsonReport(Path.of(JsonReport.STANDARD_OUTPUT), out))).end(spec, result());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** This shard's report, read back as a merge reads it. */
    ShardReport report() {
        return ShardReports.parse("shard-" + index + ".json", json()).get(0);
    }

    static <K extends Enum<K>> Map<K, Long> kinds(Class<K> kind) {
        Map<K, Long> counts = new EnumMap<>(kind);
        for (K k : kind.getEnumConstants()) {
            counts.put(k, 0L);
        }
        return counts;
    }
}
