package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Model.CommandSpec;

/** Each ranged option refuses a value outside its range before the first connection, and its help states the range. */
class LoadgenRangesTest {

    private static Loadgen.Outcome loadgen(String... args) {
        List<String> all = new ArrayList<>(List.of("--target", "127.0.0.1:1"));
        all.addAll(List.of(args));
        return Loadgen.runExactly(all.toArray(String[]::new));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --connections       | 0        | 0 (expected: 1..10000000)
            --connect-rate      | 0        | 0 (expected: >= 1)
            --message-size      | 16777217 | 16777217 (expected: 1..16777216)
            --split             | 1025     | 1025 (expected: 1..1024)
            --pipeline          | 0        | 0 (expected: 1..100000)
            --rate              | -1       | -1.0 (expected: >= 0)
            --rate              | NaN      | NaN (expected: >= 0)
            --max-error-rate    | 1.5      | 1.5 (expected: 0..1)
            --max-shed-rate     | 2        | 2.0 (expected: 0..1)
            --min-achieved-rate | -0.5     | -0.5 (expected: 0..1)
            --duration          | 0s       | PT0S (expected: > 0)
            --timeout           | 0ms      | PT0S (expected: > 0)
            --send-tick         | 49us     | PT0.000049S (expected: 50us..10ms)
            --send-tick         | 11ms     | PT0.011S (expected: 50us..10ms)
            --connect-timeout   | 0s       | PT0S (expected: > 0)
            --io-threads        | 1025     | 1025 (expected: 1..1024)
            --shards            | 0        | 0 (expected: 1..10000)
            --shards            | 10001    | 10001 (expected: 1..10000)
            """)
    void refusesAValueOutsideTheOptionsRange(String option, String value, String message) {
        Loadgen.Outcome o = loadgen(option, value);
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("ricochet loadgen: " + option + ": " + message + " (see --help)\n");
    }

    @Test
    void reportsTheFirstOptionOutOfRangeInTheOrderTheyAreChecked() {
        Loadgen.Outcome o = loadgen("--timeout", "0s", "--io-threads", "0", "--max-shed-rate", "3", "--split", "0");
        assertThat(o.err()).startsWith("ricochet loadgen: --split: 0 (expected: 1..1024)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --connections       | Connections to open, 1..10000000.
            --connect-rate      | Connections opened per second at most, >= 1.
            --connect-timeout   | How long a connection may take to come up, > 0,
            --duration          | Measured time, after the warmup, > 0.
            --io-threads        | Event loop threads, 1..1024.
            --message-size      | payload bytes per frame (each is answered), 1..16777216.
            --split             | Cut each request into N writes, 1..1024,
            --pipeline          | Requests outstanding per connection at most, 1..100000.
            --rate              | requests per second over all connections, >= 0,
            --timeout           | from its send, > 0;
            --send-tick         | the send clock's tick, 50us..10ms.
            --max-error-rate    | that failed none), 0..1, above which
            --max-shed-rate     | per request, 0..1, above which
            --min-achieved-rate | Open loop: the fraction, 0..1, of the requests
            --shard             | Run shard I of N (I from 0, N 1..10000)
            --shards            | Run one of N shards, 1..10000,
            """)
    void statesTheRangeInTheOptionsHelp(String option, String text) {
        CommandSpec spec = LoadgenCommand.newCommandLine(new LoadgenCommand()).getCommandSpec();
        assertThat(String.join(" ", spec.findOption(option).description())).contains(text);
    }

    @Test
    void leavesNoVariableUnresolvedInTheHelp() {
        assertThat(loadgen("--help").out()).doesNotContain("${").contains("1..10000000");
    }
}
