package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

    @Test
    void tenThousandConnectionsFitTheDefaultsOfThisMachine() {
        assertThat(ConnectionBudget.problem(10_000, 0, 20_000, 28_232)).isEmpty();
    }

    @Test
    void moreConnectionsThanOpenFilesAreRefusedWithTheLimitNamed() {
        assertThat(ConnectionBudget.problem(19_950, 0, 20_000, 28_232)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("needs about 20050 open files").contains("may open 20000").contains("ulimit -n"));
    }

    @Test
    void moreConnectionsThanOneAddressHasPortsAskForMoreSourceAddresses() {
        assertThat(ConnectionBudget.problem(100_000, 1, 200_000, 28_232)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("needs 100000 ports on each").contains("has 28232")
                .contains("at least 4 with --source-addresses").contains("127.0.0.1-127.0.0.4"));
        assertThat(ConnectionBudget.problem(100_000, 4, 200_000, 28_232)).isEmpty();
        assertThat(ConnectionBudget.problem(100_000, 3, 200_000, 28_232)).isPresent(); // 33,334 on each
    }

    @Test
    void limitsThatCannotBeReadAreNotGuessed() {
        assertThat(ConnectionBudget.problem(5_000_000, 0, -1, -1)).isEmpty();
    }

    @Test
    void readsThisMachinesLimits() {
        assertThat(ConnectionBudget.maxOpenFiles()).isPositive();
        assertThat(ConnectionBudget.ephemeralPorts()).isBetween(1, 65_536);
    }
}
