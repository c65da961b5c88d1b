package dev.ricochet.benchreport;

import dev.ricochet.reporthtml.ChartStyle;
import java.awt.Paint;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The mixed prime run, per engine: the prime throughput above, and below it the round trip
 * of the light echo client that ran beside it, which shows whether heavy prime requests
 * hold up everything else. Throughput on a linear axis, the round trip on a logarithmic one
 * (a server that serves one client at a time is thousands of times slower than the rest),
 * the value written on each bar, so that a bar too short to see still reads.
 */
final class PrimeMixChart {

    private PrimeMixChart() {
    }

    /** @param caption a line under the title; empty for none */
    static JFreeChart draw(EnginesResults results, String caption) {
        List<EngineRun> runs = results.runs(EngineRun.PRIME_MIXED);
        CategoryAxis engineAxis = new CategoryAxis("engine");
        engineAxis.setMaximumCategoryLabelLines(2); // thread-per-connection, in a page's narrower chart
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(engineAxis);
        plot.add(bars(results, runs, "prime requests/s", "#,##0", false, EngineRun::requestsPerSecond), 1);
        plot.add(bars(results, runs, "echo probe p99 ms", "#,##0.##", true, EngineRun::probeP99Millis), 1);
        // The engines are the bars, named on the axis; as legend items, they name the chart's
        // series on a page (the chart shows no legend).
        LegendItemCollection engines = new LegendItemCollection();
        runs.forEach(run -> engines.add(new LegendItem(run.engine(), ChartStyle.colour(results.indexOf(run.engine())))));
        plot.setFixedLegendItems(engines);
        JFreeChart chart = new JFreeChart("Mixed prime load: prime throughput and echo round trip beside it",
                JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        ChartStyle.apply(chart, caption);
        return chart;
    }

    private static CategoryPlot bars(EnginesResults results, List<EngineRun> runs, String label, String valueFormat,
            boolean logarithmic, ToDoubleFunction<EngineRun> figure) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (EngineRun run : runs) {
            double value = figure.applyAsDouble(run);
            boolean drawn = Double.isFinite(value) && (value > 0 || !logarithmic);
            dataset.addValue(drawn ? value : null, label, run.engine());
            if (drawn) {
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        boolean log = logarithmic && max > 0;
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return ChartStyle.colour(results.indexOf((String) dataset.getColumnKey(column)));
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", ChartStyle.format(valueFormat)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        CategoryPlot plot = new CategoryPlot(dataset, null, ChartStyle.valueAxis(label, log, min, max), renderer);
        if (log) {
            renderer.setBase(plot.getRangeAxis().getLowerBound()); // a log axis has no zero to stand on
        } else {
            plot.getRangeAxis().setUpperMargin(0.15); // room for the labels above the tallest bar
        }
        return plot;
    }
}
