package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --find-rate}'s goal: a percentile of the corrected latency, '<', a bound with its unit. */
class RateGoalTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "p50<1s; p50; 50; 1000000000",
            "p90<250us; p90; 90; 250000",
            "p99<5ms; p99; 99; 5000000",
            "p99.9<2.5ms; p99.9; 99.9; 2500000",
            "p99.99<10ms; p99.99; 99.99; 10000000",
            "max<0.5s; max; 100; 500000000",
            "p99 < 5ms ; p99; 99; 5000000"})
    void readsEachPercentileAndBound(String text, String label, double percentile, long boundNanos) {
        RateGoal goal = RateGoal.parse(text);

        assertThat(goal.label()).isEqualTo(label);
        assertThat(goal.percentile()).isEqualTo(percentile);
        assertThat(goal.boundNanos()).isEqualTo(boundNanos);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "p99; --find-rate: 'p99' has no '<' (expected: PERCENTILE<DURATION",
            "p95<5ms; --find-rate: 'p95<5ms': percentile 'p95' (expected: p50, p90, p99, p99.9, p99.99 or max)",
            "P99<5ms; --find-rate: 'P99<5ms': percentile 'P99'",
            "<5ms; --find-rate: '<5ms': percentile ''",
            "p99<5; --find-rate: 'p99<5': bound '5' (expected: a number with its unit, us, ms or s, such as 5ms)",
            "p99<5m; --find-rate: 'p99<5m': bound '5m'",
            "p99<-5ms; --find-rate: 'p99<-5ms': bound '-5ms'",
            "p99<=5ms; --find-rate: 'p99<=5ms': bound '=5ms'",
            "p99<0ms; --find-rate: 'p99<0ms': bound 0ms (expected: above 0, at most 60s)",
            "p99<61s; --find-rate: 'p99<61s': bound 61s (expected: above 0, at most 60s)"})
    void refusesAnythingElseSayingWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> RateGoal.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void isMetOnlyStrictlyBelowItsBound() {
        RateGoal goal = RateGoal.parse("p99<5ms");

        assertThat(goal.metBy(4_999_999)).isTrue();
        assertThat(goal.metBy(5_000_000)).isFalse();
    }

    @Test
    void readsItsPercentileOfALatencyHistogramAndMaxAsTheHighestValue() {
        Histogram h = new Histogram(3);
        for (long v = 1; v <= 1000; v++) {
            h.recordValue(v * 1000);
        }

        assertThat(RateGoal.parse("p90<1s").valueOf(h)).isEqualTo(h.getValueAtPercentile(90)).isBetween(899_000L, 901_000L);
        assertThat(RateGoal.parse("max<1s").valueOf(h)).isEqualTo(h.getMaxValue());
    }

    @Test
    void saysItselfAsTheReportsAndTheOptionWriteIt() {
        RateGoal goal = RateGoal.parse(" p99.9 <2.5ms");

        assertThat(goal).hasToString("p99.9 < 2.5ms");
        assertThat(goal.option()).isEqualTo("p99.9<2.5ms");
    }
}
