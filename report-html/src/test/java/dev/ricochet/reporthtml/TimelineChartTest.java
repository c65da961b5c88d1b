package dev.ricochet.reporthtml;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.BasicStroke;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.junit.jupiter.api.Test;

class TimelineChartTest {

    private static final double[] TIMES = {1, 2, 3};

    @Test
    void drawsBarsOnOneAxisAndALineOnAnother() {
        // A stacked bar renderer cannot range lines: each dataset must be ranged by its own.
        JFreeChart chart = TimelineChart.titled("steps", "step").axis("requests/s", false)
                .bars("held", TIMES, new double[] {100, 200, 0}).bars("missed", TIMES, new double[] {0, 0, 400})
                .axis("p99, ms", true).line("p99", TIMES, new double[] {0.5, 0.8, 12}).build();

        assertThat(Figure.of("steps", chart, "").series()).containsExactly("held", "missed", "p99");
        assertThat(((XYPlot) chart.getPlot()).getRangeAxis(1).getUpperBound()).isGreaterThanOrEqualTo(12);
    }

    @Test
    void aGuideIsDashedAndLeavesTheNextSeriesItsColour() {
        XYPlot plot = (XYPlot) TimelineChart.titled("rate", "s").axis("requests/s", false)
                .line("requests/s", TIMES, new double[] {90, 100, 100}).guide("planned/s", TIMES, new double[] {100, 100, 100})
                .axis("p99", true).line("p99", TIMES, new double[] {1, 2, 3}).build().getPlot();
        XYItemRenderer rate = plot.getRenderer(0);
        XYItemRenderer p99 = plot.getRenderer(1);

        assertThat(((BasicStroke) rate.getSeriesStroke(1)).getDashArray()).isNotNull();
        assertThat(((BasicStroke) rate.getSeriesStroke(0)).getDashArray()).isNull();
        assertThat(p99.getSeriesPaint(0)).isEqualTo(ChartStyle.colour(1));
    }

    @Test
    void timeNeverRunsBelowZeroNorBetweenWholeTicks() {
        JFreeChart chart = TimelineChart.titled("errors", "s").axis("count", false)
                .bars("reset", new double[] {0.5, 1.5, 2.5}, new double[] {1, 0, 2}).build();
        String svg = Figure.of("errors", chart, "").svg();
        ValueAxis time = ((XYPlot) chart.getPlot()).getDomainAxis();

        assertThat(time.getLowerBound()).as("the first bar reaches back to -0.5 s").isZero();
        assertThat(svg).contains(">1<").contains(">2<").doesNotContain(">0.5<");
    }
}
