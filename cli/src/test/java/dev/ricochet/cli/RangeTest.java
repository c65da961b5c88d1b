package dev.ricochet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RangeTest {

    @Test
    void anIntegerRangeIncludesBothBoundsAndNamesTheOptionWhenRefusing() {
        Range<Integer> threads = Range.between(1, 1024);
        assertThat(threads.require("--io-threads", 1)).isEqualTo(1);
        assertThat(threads.require("--io-threads", 1024)).isEqualTo(1024);
        assertThat(threads.contains(0)).isFalse();
        assertThatThrownBy(() -> threads.require("--io-threads", 1025))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--io-threads: 1025 (expected: 1..1024)");
    }

    @Test
    void aLowerBoundOnlyIsShownAsAtLeast() {
        assertThat(Range.atLeast(1)).hasToString(">= 1");
        assertThat(Range.atLeast(1).contains(Integer.MAX_VALUE)).isTrue();
        assertThatThrownBy(() -> Range.atLeast(1).require("--connect-rate", 0))
                .hasMessage("--connect-rate: 0 (expected: >= 1)");
    }

    @Test
    void aFractionIsShownAsTheUserTypesItAndRefusesWhatIsNotFinite() {
        Range<Double> fraction = Range.between(0.0, 1.0);
        assertThat(fraction).hasToString("0..1");
        assertThat(fraction.contains(0.5)).isTrue();
        assertThat(fraction.contains(Double.NaN)).isFalse();
        assertThat(Range.atLeast(0.0).contains(Double.POSITIVE_INFINITY)).isFalse();
        assertThatThrownBy(() -> fraction.require("--max-shed-rate", 1.5))
                .hasMessage("--max-shed-rate: 1.5 (expected: 0..1)");
    }

    @Test
    void aDurationRangeStartsAtZeroAndRefusesNegatives() {
        Range<Duration> grace = Range.upTo(Duration.ofDays(1));
        assertThat(grace.contains(Duration.ZERO)).isTrue();
        assertThat(grace.contains(Duration.ofDays(1))).isTrue();
        assertThat(grace.contains(Duration.ofSeconds(-1))).isFalse();
        assertThatThrownBy(() -> grace.require("--shutdown-grace", Duration.ofDays(2)))
                .hasMessage("--shutdown-grace: PT48H (expected: 0s..PT24H)");
    }

    @Test
    void zeroOrABandAcceptsOffOrAValueInTheBand() {
        Range<Duration> keepalive = Range.zeroOr(Duration.ofSeconds(1), Duration.ofSeconds(32767));
        assertThat(keepalive.contains(Duration.ZERO)).isTrue();
        assertThat(keepalive.contains(Duration.ofMillis(500))).isFalse();
        assertThat(keepalive.contains(Duration.ofSeconds(32767))).isTrue();
        assertThat(keepalive).hasToString("0s, or 1s..PT9H6M7S");
    }

    @Test
    void aPositiveDurationRefusesZero() {
        assertThat(Range.positive().contains(Duration.ofNanos(1))).isTrue();
        assertThatThrownBy(() -> Range.positive().require("--duration", Duration.ZERO))
                .hasMessage("--duration: PT0S (expected: > 0)");
    }

    @Test
    void nullIsNeverInARange() {
        assertThat(Range.between(0, 1).contains(null)).isFalse();
    }

    @Test
    void aRefusalCarriesTheOptionAndTheValueForTheCommandLineToReport() {
        assertThatThrownBy(() -> Range.between(0, 65535).require("--echo-port", 70000))
                .isInstanceOfSatisfying(OptionValueException.class, e -> {
                    assertThat(e.option()).isEqualTo("--echo-port");
                    assertThat(e.value()).isEqualTo(70000);
                })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--echo-port: 70000 (expected: 0..65535)");
    }
}
