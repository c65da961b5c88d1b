package dev.ricochet.benchreport;

import dev.ricochet.reporthtml.ChartStyle;
import java.text.NumberFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Figures side by side: a group of bars per figure (or per round), one bar per server in each,
 * in the server's colour, its value written above it, so that a bar too short to see still
 * reads. On a logarithmic axis for figures that differ by orders of magnitude between servers.
 */
final class GroupedBars {

    /**
     * One server's bars.
     *
     * @param colour the index of its colour in {@link ChartStyle#colour}, the same on every chart
     * @param values one per group, NaN for no bar
     */
    record Series(String name, int colour, double[] values) {
    }

    private GroupedBars() {
    }

    /**
     * @param groups       the groups' names, in order
     * @param valueFormats the bars' labels, {@link java.text.DecimalFormat} patterns: one for
     *                     every group, or one per group (as precise as the results' tables)
     */
    static JFreeChart draw(String title, String axisLabel, boolean logarithmic, List<String> groups,
            List<String> valueFormats, List<Series> series) {
        if (valueFormats.size() != 1 && valueFormats.size() != groups.size()) {
            throw new IllegalArgumentException(valueFormats.size() + " value formats for " + groups.size() + " groups");
        }
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Series s : series) {
            if (s.values().length != groups.size()) {
                throw new IllegalArgumentException(s.name() + ": " + s.values().length + " values for " + groups.size()
                        + " groups");
            }
            for (int g = 0; g < groups.size(); g++) {
                double value = s.values()[g];
                boolean drawn = Double.isFinite(value) && (value > 0 || !logarithmic);
                dataset.addValue(drawn ? value : null, s.name(), groups.get(g));
                if (drawn && value > 0) {
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
        }
        Map<String, NumberFormat> labels = new HashMap<>();
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, ChartStyle.colour(series.get(i).colour()));
        }
        for (int g = 0; g < groups.size(); g++) {
            labels.put(groups.get(g), ChartStyle.format(valueFormats.get(valueFormats.size() == 1 ? 0 : g)));
        }
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset data, int row, int column) {
                Number value = data.getValue(row, column);
                return value == null ? null : labels.get((String) data.getColumnKey(column)).format(value);
            }
        });
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        boolean log = logarithmic && max > 0;
        ValueAxis axis = ChartStyle.valueAxis(axisLabel, log, min, max);
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis(null), axis, renderer);
        if (log) {
            renderer.setBase(axis.getLowerBound()); // a log axis has no zero to stand on
            // Room for the label of a bar that reaches the top decade.
            axis.setUpperBound(Math.max(axis.getUpperBound(), max * 4));
        } else {
            axis.setUpperMargin(0.15); // room for the labels above the tallest bar
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartStyle.apply(chart, null);
        return chart;
    }
}
