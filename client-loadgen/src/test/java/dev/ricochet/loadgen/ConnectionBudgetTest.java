package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

    @Test
    void tenThousandConnectionsFitTwentyThousandFilesAndTheDefaultPortRange() {
        assertThat(ConnectionBudget.problem(10_000, 0, 20_000, 28_232)).isEmpty();
    }

    @Test
    void moreConnectionsThanOpenFilesAreRefusedWithTheLimitNamed() {
        assertThat(ConnectionBudget.problem(19_950, 0, 20_000, 28_232)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("needs about 20050 open files").contains("may open 20000").contains("ulimit -Hn"));
    }

    @Test
    void moreConnectionsThanOneAddressHasPortsAskForMoreSourceAddresses() {
        assertThat(ConnectionBudget.problem(100_000, 1, 200_000, 28_232)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("needs 100000 ports on each").contains("has 28232")
                .contains("at least 4 IPv4 addresses with --source-addresses").contains("127.0.0.1-127.0.0.4"));
        assertThat(ConnectionBudget.problem(100_000, 4, 200_000, 28_232)).isEmpty();
        assertThat(ConnectionBudget.problem(100_000, 3, 200_000, 28_232)).isPresent(); // 33,334 on each
    }

    @Test
    void theLoopbackHintCountsPastTheLastOctet() {
        assertThat(ConnectionBudget.loopbackAddress(4)).isEqualTo("127.0.0.4");
        assertThat(ConnectionBudget.loopbackAddress(355)).isEqualTo("127.0.1.99");
        assertThat(ConnectionBudget.problem(10_000_000, 1, -1, 28_232)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("at least 355 IPv4 addresses").contains("127.0.0.1-127.0.1.99"));
    }

    @Test
    void limitsThatCannotBeReadAreNotGuessed() {
        assertThat(ConnectionBudget.problem(5_000_000, 0, -1, -1)).isEmpty();
    }

    @Test
    void readsThisMachinesLimits() {
        assumeTrue(Files.isReadable(Path.of("/proc/sys/net/ipv4/ip_local_port_range")), "not Linux");
        assertThat(ConnectionBudget.maxOpenFiles()).isPositive();
        assertThat(ConnectionBudget.ephemeralPorts()).isBetween(1, 65_536);
    }
}
