package dev.ricochet.benchreport;

import dev.ricochet.reporthtml.ChartStyle;
import java.text.NumberFormat;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * One figure of the echo closed-loop runs against the number of connections, one line per
 * engine. The connection counts are evenly spaced categories (100, 1,000, 5,000 would crowd
 * on a linear axis); a run without the figure leaves a gap in its engine's line.
 */
final class ConnectionsChart {

    private ConnectionsChart() {
    }

    /** @param caption a line under the title; empty for none (a page states the run in its header) */
    static JFreeChart draw(EnginesResults results, String title, String axisLabel, boolean logarithmic,
            ToDoubleFunction<EngineRun> figure, String caption) {
        List<EngineRun> runs = results.runs(EngineRun.ECHO_CLOSED_LOOP);
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        DoubleSummaryStatistics drawn = new DoubleSummaryStatistics();
        NumberFormat counts = NumberFormat.getIntegerInstance(Locale.ROOT);
        int[] connectionCounts = runs.stream().mapToInt(EngineRun::connections).distinct().sorted().toArray();
        for (String engine : results.engines()) {
            for (int connections : connectionCounts) {
                Double value = value(runs, engine, connections, figure, logarithmic);
                if (value != null) {
                    drawn.accept(value);
                }
                // A null still adds the column, so that every count keeps its place on the axis.
                dataset.addValue(value, engine, counts.format(connections));
            }
        }

        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        for (String engine : results.engines()) {
            renderer.setSeriesPaint(dataset.getRowIndex(engine), ChartStyle.colour(results.indexOf(engine)));
        }
        ValueAxis axis = ChartStyle.valueAxis(axisLabel, logarithmic, drawn.getMin(), drawn.getMax());
        if (axis instanceof NumberAxis linear) {
            // The linear figures here are requests/s, MiB and error counts: no tick at 0.5.
            linear.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("connections (echo, closed loop)"), axis, renderer);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartStyle.apply(chart, caption);
        return chart;
    }

    /** The engine's figure at that connection count, or null: no run, no figure, or none a log axis can show. */
    private static Double value(List<EngineRun> runs, String engine, int connections,
            ToDoubleFunction<EngineRun> figure, boolean logarithmic) {
        return runs.stream()
                .filter(run -> run.engine().equals(engine) && run.connections() == connections)
                .mapToDouble(figure)
                .filter(v -> Double.isFinite(v) && (!logarithmic || v > 0))
                .boxed()
                .findFirst()
                .orElse(null);
    }
}
