package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ricochet.loadgen.workload.IdleWorkload;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** N shards of a run together are the run: its connections, its rate, its slots and its send times. */
class ShardSplitPropertyTest {

    private static List<LoadSpec.Shard> shards(int count, int connections, double rate) {
        return IntStream.range(0, count).mapToObj(i -> new LoadSpec.Shard(i, count, connections, rate)).toList();
    }

    private static LoadSpec spec(LoadSpec.Shard shard) {
        return new LoadSpec(new InetSocketAddress("127.0.0.1", 1), new IdleWorkload(),
                new LoadSpec.Network(shard.connections(), 1, Duration.ofSeconds(1), List.of(), 1, ClientTransport.choose("nio")),
                new LoadSpec.Timing(Duration.ZERO, Duration.ofSeconds(1)),
                new LoadSpec.Load(1, shard.rate(), Duration.ofSeconds(1)),
                new LoadSpec.PassLimits(0, 0, 0), shard);
    }

    /** Each slot's plan, by where it starts: its first request's number and its first planned time. */
    private record Start(long sequence, long offsetNanos) {
    }

    private static List<Start> starts(LoadSpec spec) {
        List<Start> starts = new ArrayList<>();
        for (int local = 0; local < spec.network().connections(); local++) {
            SendPlan plan = spec.planOf(local, spec.plannedCount());
            plan.start(0, 0);
            starts.add(new Start(plan.nextSequence(), plan.openLoop() ? plan.nextIntendedNanos() : 0));
        }
        return starts;
    }

    @Property(tries = 300)
    void theShardsConnectionsAddUpToTheRunsAndDifferByOneAtMost(@ForAll @IntRange(min = 1, max = 10_000) int count,
            @ForAll @IntRange(min = 0, max = 50_000) int more) {
        int connections = count + more;
        List<Integer> each = shards(count, connections, 0).stream().map(LoadSpec.Shard::connections).toList();
        assertThat(each.stream().mapToLong(Integer::longValue).sum()).isEqualTo(connections);
        assertThat(each.stream().mapToInt(Integer::intValue).max().orElseThrow()
                - each.stream().mapToInt(Integer::intValue).min().orElseThrow()).isLessThanOrEqualTo(1);
        assertThat(each).as("the first shards take the remainder").isSortedAccordingTo((a, b) -> b - a);
    }

    @Property(tries = 300)
    void theShardsRatesAddUpToTheRunsAndGiveEveryConnectionTheSameRate(
            @ForAll @IntRange(min = 1, max = 1_000) int count, @ForAll @IntRange(min = 0, max = 20_000) int more,
            @ForAll @DoubleRange(min = 0.01, max = 10_000_000) double rate) {
        int connections = count + more;
        List<LoadSpec.Shard> shards = shards(count, connections, rate);
        assertThat(shards.stream().mapToDouble(LoadSpec.Shard::rate).sum()).isCloseTo(rate, within(rate * 1e-9));
        for (LoadSpec.Shard shard : shards) {
            assertThat(shard.rate() / shard.connections()).isCloseTo(rate / connections, within(rate / connections * 1e-12));
        }
    }

    @Property(tries = 200)
    void theShardsPlansTogetherAreOneProcesssPlans(@ForAll @IntRange(min = 1, max = 300) int count,
            @ForAll @IntRange(min = 0, max = 3_000) int more, @ForAll @DoubleRange(min = 0, max = 1_000_000) double rate) {
        int connections = count + more;
        Assume.that(rate == 0 || 1e9 * connections / rate < Long.MAX_VALUE);
        List<Start> whole = starts(spec(LoadSpec.Shard.whole(connections, rate)));
        List<Start> union = new ArrayList<>();
        for (LoadSpec.Shard shard : shards(count, connections, rate)) {
            union.addAll(starts(spec(shard)));
        }
        assertThat(union).as("every slot of the run, numbered as one process numbers it, once, at its phase")
                .containsExactlyInAnyOrderElementsOf(whole);
        assertThat(union.stream().map(s -> s.sequence() >>> 32).sorted().toList())
                .isEqualTo(IntStream.range(0, connections).mapToObj(i -> (long) i).toList());
    }
}
