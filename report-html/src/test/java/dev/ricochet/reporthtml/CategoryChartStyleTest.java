package dev.ricochet.reporthtml;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.Test;

class CategoryChartStyleTest {

    @Test
    void barChartsGetTheWhitePlotAndGreyGridOfTheOthers() {
        CategoryPlot plot = bars(false);
        ChartStyle.apply(new JFreeChart(plot), null);

        assertThat(plot.getBackgroundPaint()).isEqualTo(Color.WHITE);
        assertThat(plot.getRangeGridlinePaint()).isEqualTo(new Color(0xcccccc));
        assertThat(plot.isRangeMinorGridlinesVisible()).isFalse();
    }

    @Test
    void eachStackedPlotDrawsItsOwnGridAndALogOneItsMinorLines() {
        CategoryPlot linear = bars(false);
        CategoryPlot log = bars(true);
        CombinedDomainCategoryPlot combined = new CombinedDomainCategoryPlot(new CategoryAxis("engine"));
        combined.add(linear);
        combined.add(log);
        ChartStyle.apply(new JFreeChart(combined), null);

        assertThat(linear.getRangeGridlinePaint()).isEqualTo(new Color(0xcccccc));
        assertThat(log.isRangeMinorGridlinesVisible()).isTrue();
        assertThat(linear.isRangeMinorGridlinesVisible()).isFalse();
    }

    private static CategoryPlot bars(boolean logarithmic) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        data.addValue(10, "netty", "100");
        return new CategoryPlot(data, null, logarithmic ? ChartStyle.valueAxis("ms", true, 1, 100) : new NumberAxis("n"),
                new BarRenderer());
    }
}
