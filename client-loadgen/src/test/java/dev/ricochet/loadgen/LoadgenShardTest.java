package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ricochet.loadgen.run.LoadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which shard of a split run a process runs, from {@code --shard I/N} or from {@code --shards N}
 * and the Indexed Job's {@code JOB_COMPLETION_INDEX} (given here as an environment of the test's
 * own), and the bad usage refused before the first connection.
 */
class LoadgenShardTest {

    private static final List<String> RUN = List.of("--target", "127.0.0.1:1", "--connections", "10",
            "--rate", "100", "--warmup", "0s", "--duration", "300ms");

    private static Loadgen.Outcome loadgen(String... args) {
        List<String> all = new ArrayList<>(RUN);
        all.addAll(List.of(args));
        return Loadgen.runExactly(all.toArray(String[]::new));
    }

    private static LoadSpec specOf(UnaryOperator<String> environment, String... args) {
        LoadgenCommand command = new LoadgenCommand(environment);
        List<String> all = new ArrayList<>(RUN);
        all.addAll(List.of(args));
        LoadgenCommand.newCommandLine(command).parseArgs(all.toArray(String[]::new));
        return command.toSpec();
    }

    private static UnaryOperator<String> indexVariable(String value) {
        return name -> name.equals("JOB_COMPLETION_INDEX") ? value : null;
    }

    private static void assertRefused(Loadgen.Outcome o, String message) {
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(2);
        assertThat(o.err()).as(o.toString()).isEqualTo("ricochet loadgen: " + message + " (see --help)\n");
        assertThat(o.out()).as("no run, no report").isEmpty();
    }

    @Test
    void runsItsShareOfTheConnectionsAtTheRateEachHasInOneProcess() {
        LoadSpec spec = specOf(indexVariable(null), "--shard", "1/3");
        assertThat(spec.shard()).isEqualTo(new LoadSpec.Shard(1, 3, 10, 100));
        assertThat(spec.network().connections()).isEqualTo(3);
        assertThat(spec.load().rate()).isEqualTo(30);
    }

    @Test
    void takesTheIndexFromTheIndexedJobsVariableWithShards() {
        LoadSpec spec = specOf(indexVariable("2"), "--shards", "4");
        assertThat(spec.shard()).isEqualTo(new LoadSpec.Shard(2, 4, 10, 100));
        assertThat(spec.network().connections()).isEqualTo(2);
    }

    @Test
    void runsTheWholeRunWithoutShardOptionsWhateverTheVariableSays() {
        LoadSpec spec = specOf(indexVariable("3"));
        assertThat(spec.shard()).isEqualTo(LoadSpec.Shard.whole(10, 100));
        assertThat(spec.shard().split()).isFalse();
    }

    @Test
    void runsShardZeroOfOneAsTheWholeRun() {
        assertThat(specOf(indexVariable(null), "--shard", "0/1").shard()).isEqualTo(LoadSpec.Shard.whole(10, 100));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "UNSET", quoteCharacter = '"', delimiter = '|', textBlock = """
            UNSET | unset
            ""    | ''
            abc   | 'abc'
            4     | '4'
            -1    | '-1'
            " 1"  | ' 1'
            """)
    void refusesAnIndexVariableThatIsNotAShardOfTheRun(String value, String shown) {
        assertThatThrownBy(() -> specOf(indexVariable(value), "--shards", "4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("JOB_COMPLETION_INDEX: " + shown
                        + " (expected: 0..3, this pod's index in an Indexed Job, with --shards 4)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "4/3", "3/3", "-1/2", "a/b", "1/", "/2", "0/0", "0/10001", "1/2/3", "+1/2", " 1/2"})
    void refusesAShardThatIsNotIOfN(String value) {
        assertRefused(loadgen("--shard=" + value),
                "--shard: " + value + " (expected: I/N with 0 <= I < N, N in 1..10000)");
    }

    @Test
    void refusesBothShardOptions() {
        assertRefused(loadgen("--shard", "0/2", "--shards", "2"),
                "--shard: 0/2 and --shards: 2 (expected: one of them; --shards takes the index from JOB_COMPLETION_INDEX)");
    }

    @ParameterizedTest
    @CsvSource({"--shard, 0/11, --shard: 0/11", "--shards, 11, --shards: 11"})
    void refusesMoreShardsThanConnections(String option, String value, String shown) {
        assertRefused(loadgen(option, value),
                shown + " leaves shards without a connection (expected: at most --connections 10 shards)");
    }

    @Test
    void echoesTheShardOptionsOnlyWhenGiven() {
        LoadgenCommand command = new LoadgenCommand(indexVariable("1"));
        LoadgenCommand.newCommandLine(command).parseArgs("--target", "localhost:9090", "--shards", "2");
        Map<String, Object> options = command.options();
        assertThat(options).containsEntry("shards", 2).doesNotContainKey("shard");
        assertThat(options.keySet()).last().isEqualTo("shards");
    }
}
