package dev.ricochet.reporthtml;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Latency by percentile, as HdrHistogram's plotter and wrk2's users draw it: the percentile on
 * a logarithmic axis of 1 / (1 - p), so that 50, 90, 99, 99.9, 99.99 and 99.999 are evenly
 * spaced and the tail, where latency bends, gets as much room as the median; the latency on a
 * logarithmic axis; each curve's maximum a dashed line of its colour.
 */
public final class PercentileChart {

    /** The axis' left end, in percent. */
    public static final double LOWEST_PERCENTILE = 50;
    /** The axis' right end, in percent. */
    public static final double HIGHEST_PERCENTILE = 99.999;
    private static final double[] TICKS = {50, 90, 99, 99.9, 99.99, 99.999};
    /** HdrHistogram's percentile iteration: points per halving of the distance to 100%. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private PercentileChart() {
    }

    /** One point of a curve: the value below which {@code percentile} percent of the samples lie. */
    public record Point(double percentile, double value) {
    }

    /**
     * One curve: its points from the 50th percentile up, and its maximum.
     *
     * @param max the largest sample, NaN when there is none
     */
    public record Curve(String name, List<Point> points, double max) {

        /**
         * The curve of a histogram, through HdrHistogram's own percentile iteration (ever finer
         * towards 100%), as its plotter does.
         *
         * @param unit how many of the histogram's units make one of the chart's (1e6: ns to ms)
         */
        public static Curve of(String name, Histogram histogram, double unit) {
            List<Point> points = new ArrayList<>();
            if (histogram.getTotalCount() == 0) {
                return new Curve(name, points, Double.NaN);
            }
            for (HistogramIterationValue v : histogram.percentiles(TICKS_PER_HALF_DISTANCE)) {
                double percentile = v.getPercentileLevelIteratedTo();
                if (percentile >= LOWEST_PERCENTILE && percentile < 100) {
                    points.add(new Point(percentile, histogram.highestEquivalentValue(v.getValueIteratedTo()) / unit));
                }
            }
            return new Curve(name, points, histogram.getMaxValue() / unit);
        }
    }

    /**
     * @param valueLabel the latency axis' label, with its unit
     * @param curves     in the order of the palette; a curve without samples is listed, not drawn
     */
    public static JFreeChart draw(String title, String valueLabel, List<Curve> curves) {
        XYSeriesCollection data = new XYSeriesCollection();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Curve curve : curves) {
            XYSeries series = new XYSeries(curve.name(), false, true);
            for (Point p : curve.points()) {
                series.add(scale(p.percentile()), p.value());
                if (p.value() > 0) {
                    min = Math.min(min, p.value());
                }
            }
            data.addSeries(series);
            if (!Double.isNaN(curve.max())) {
                max = Math.max(max, curve.max());
            }
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        // One SVG path per curve, not an element per segment (a curve has a few hundred points).
        renderer.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < curves.size(); i++) {
            renderer.setSeriesPaint(i, ChartStyle.colour(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        // Without samples, one plain decade rather than JFreeChart's own ticks of an empty range.
        boolean empty = min == Double.MAX_VALUE;
        ValueAxis latency = ChartStyle.valueAxis(valueLabel, true, empty ? 1 : min, empty ? 1 : max);
        XYPlot plot = new XYPlot(data, new PercentileAxis(), latency, renderer);
        for (int i = 0; i < curves.size(); i++) {
            double curveMax = curves.get(i).max();
            if (!Double.isNaN(curveMax)) {
                plot.addRangeMarker(maxMarker(curves.get(i).name(), curveMax, i), Layer.FOREGROUND);
            }
        }
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE_FONT, plot, true);
        ChartStyle.apply(chart, null);
        return chart;
    }

    /** Where percentile {@code p} lies on the axis: 1 / (1 - p), 2 for the median, 1,000 for 99.9. */
    static double scale(double percentile) {
        return 100 / (100 - percentile);
    }

    private static ValueMarker maxMarker(String name, double value, int index) {
        ValueMarker marker = new ValueMarker(value, ChartStyle.colour(index), new BasicStroke(1f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
        marker.setLabel(name + " max " + number(value));
        marker.setLabelPaint(ChartStyle.colour(index));
        marker.setLabelFont(ChartStyle.LABEL_FONT);
        marker.setLabelBackgroundColor(new java.awt.Color(255, 255, 255, 200));
        // At the left, where the curves run low, under the line: a maximum near the top of the
        // axis would put a label above its line out of the plot. Each curve's label a row lower
        // than the last one's, so that two maxima close together keep both labels readable.
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        // (On a line, JFreeChart's top offset lifts the label: a smaller one lowers it.)
        marker.setLabelOffset(new RectangleInsets(3 - 12 * index, 3, 3, 3));
        return marker;
    }

    private static String number(double value) {
        return ChartStyle.format("#,##0.###").format(value);
    }

    /** 50% to 99.999% on a log scale of 1 / (1 - p), ticked at 50, 90, 99, 99.9, ... */
    private static final class PercentileAxis extends LogAxis {

        PercentileAxis() {
            super("percentile");
            setBase(10);
            setRange(scale(LOWEST_PERCENTILE), scale(HIGHEST_PERCENTILE));
            setAutoRange(false);
        }

        @Override
        public List<NumberTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            List<NumberTick> ticks = new ArrayList<>();
            for (double p : TICKS) {
                String label = (p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p)
                        : ChartStyle.format("0.###").format(p)) + "%";
                ticks.add(new NumberTick(scale(p), label, TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0.0));
            }
            return ticks;
        }
    }
}
