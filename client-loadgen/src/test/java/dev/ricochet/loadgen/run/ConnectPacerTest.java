package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectPacerTest {

    private static final long MS = 1_000_000L;

    @Test
    void startsEmptyAndAllowsOneConnectPerIntervalOfTheRate() {
        ConnectPacer pacer = new ConnectPacer(100, 0);
        assertThat(pacer.take(0, 50)).isZero();
        assertThat(pacer.take(5 * MS, 50)).as("half a connect's worth").isZero();
        assertThat(pacer.take(10 * MS, 50)).isEqualTo(1);
        assertThat(pacer.take(45 * MS, 50)).isEqualTo(3);
    }

    @Test
    void keepsTheFractionNotYetSpent() {
        ConnectPacer pacer = new ConnectPacer(100, 0);
        assertThat(pacer.take(15 * MS, 50)).isEqualTo(1);
        assertThat(pacer.take(20 * MS, 50)).as("the half left over and another half").isEqualTo(1);
    }

    @Test
    void neverGrantsMoreThanWanted() {
        ConnectPacer pacer = new ConnectPacer(100, 0);
        assertThat(pacer.take(100 * MS, 3)).isEqualTo(3);
        assertThat(pacer.take(100 * MS, 50)).as("the rest of the budget stays").isEqualTo(7);
    }

    @Test
    void holdsAtMostOneSecondsWorthAfterAPause() {
        ConnectPacer pacer = new ConnectPacer(100, 0);
        assertThat(pacer.take(10_000 * MS, 1_000)).isEqualTo(100);
        assertThat(pacer.take(10_000 * MS, 1_000)).isZero();
    }
}
