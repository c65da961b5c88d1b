package dev.ricochet.reporthtml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PercentileChartTest {

    @Test
    void spacesTheNinesEvenly() {
        assertThat(PercentileChart.scale(50)).isEqualTo(2.0, within(1e-9));
        assertThat(PercentileChart.scale(99)).isEqualTo(100.0, within(1e-9));
        assertThat(PercentileChart.scale(99.9)).isEqualTo(1_000.0, within(1e-6));
    }

    @Test
    void aCurveRunsFromTheMedianUpAndEndsBelowItsMaximum() {
        Histogram h = new Histogram(1_000, 3_600_000_000_000L, 3);
        for (int i = 1; i <= 100_000; i++) {
            h.recordValue(i * 10_000L);
        }
        PercentileChart.Curve curve = PercentileChart.Curve.of("corrected", h, 1e6);

        assertThat(curve.points()).isNotEmpty();
        assertThat(curve.points().get(0).percentile()).isGreaterThanOrEqualTo(50);
        assertThat(curve.points()).allSatisfy(p -> assertThat(p.percentile()).isLessThan(100));
        for (int i = 1; i < curve.points().size(); i++) {
            assertThat(curve.points().get(i).value()).isGreaterThanOrEqualTo(curve.points().get(i - 1).value());
            assertThat(curve.points().get(i).percentile()).isGreaterThan(curve.points().get(i - 1).percentile());
        }
        assertThat(curve.max()).isEqualTo(h.getMaxValue() / 1e6);
        // The median of 10 µs .. 1 s in steps of 10 µs is half a second.
        assertThat(curve.points().get(0).value()).isCloseTo(500.0, within(1.0));
    }

    @Test
    void anEmptyHistogramIsACurveWithoutPoints() {
        PercentileChart.Curve curve = PercentileChart.Curve.of("shed", new Histogram(1_000, 3_600_000_000_000L, 3), 1e6);

        assertThat(curve.points()).isEmpty();
        assertThat(curve.max()).isNaN();
        assertThat(Figure.of("x", PercentileChart.draw("t", "ms", List.of(curve)), "").svg()).startsWith("<svg");
    }

    @Test
    void labelsEachCurvesMaximum() {
        Histogram h = new Histogram(1_000, 3_600_000_000_000L, 3);
        h.recordValue(2_000_000);
        h.recordValue(7_000_000);
        String svg = Figure.of("x", PercentileChart.draw("t", "ms", List.of(PercentileChart.Curve.of("corrected", h, 1e6))),
                "").svg();
        String max = ChartStyle.format("#,##0.###").format(h.getMaxValue() / 1e6);
        assertThat(max).startsWith("7");
        assertThat(svg).contains(">corrected max " + max + "<").contains(">99.9%<").contains(">50%<");
    }
}
