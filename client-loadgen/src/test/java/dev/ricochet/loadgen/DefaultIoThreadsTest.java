package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.loadgen.run.LoadSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultIoThreadsTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static LoadSpec specOf(String... args) {
        LoadgenCommand command = new LoadgenCommand(name -> null);
        List<String> all = new ArrayList<>(List.of("--target", "127.0.0.1:1", "--connections", "100"));
        all.addAll(List.of(args));
        LoadgenCommand.newCommandLine(command).parseArgs(all.toArray(String[]::new));
        return command.toSpec();
    }

    @Test
    void aRunTakesItsLoopsFromItsRateUnlessIoThreadsSays() {
        assertThat(specOf("--rate", "20000").network().ioThreads()).isEqualTo(1);
        assertThat(specOf("--rate", "60000").network().ioThreads()).isEqualTo(Math.min(3, CORES));
        assertThat(specOf("--rate-profile", "1000:1s,45000:1s").network().ioThreads()).isEqualTo(Math.min(2, CORES));
        assertThat(specOf("--rate", "60000", "--shard", "1/4").network().ioThreads()).isEqualTo(1);
        assertThat(specOf().network().ioThreads()).isEqualTo(CORES);
        assertThat(specOf("--workload", "idle").network().ioThreads()).isEqualTo(CORES);
        assertThat(specOf("--find-rate", "p99<5ms").network().ioThreads()).as("its peak is unknown").isEqualTo(CORES);
        assertThat(specOf("--rate", "20000", "--io-threads", "3").network().ioThreads()).isEqualTo(3);
    }

    @Test
    void closedLoopAndIdleRunsGetEveryCore() {
        assertThat(DefaultIoThreads.of(0, 8)).isEqualTo(8);
    }

    @Test
    void anOpenLoopGetsOneLoopPerTwentyFiveThousandRequestsPerSecond() {
        assertThat(DefaultIoThreads.of(5_000, 8)).isEqualTo(1);
        assertThat(DefaultIoThreads.of(25_000, 8)).isEqualTo(1);
        assertThat(DefaultIoThreads.of(25_001, 8)).isEqualTo(2);
        assertThat(DefaultIoThreads.of(110_000, 8)).isEqualTo(5);
    }

    @Test
    void anOpenLoopNeverGetsMoreLoopsThanCores() {
        assertThat(DefaultIoThreads.of(1_000_000, 2)).isEqualTo(2);
    }

    @Test
    void aTinyRateStillGetsOneLoop() {
        assertThat(DefaultIoThreads.of(0.5, 4)).isEqualTo(1);
    }
}
