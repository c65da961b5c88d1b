package dev.ricochet.reporthtml;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.RangeType;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Figures over the seconds of a run: lines, or bars stacked per second (counts by kind), on
 * one value axis or two (left, then right), with stretches of the run shaded and named (the
 * connect phase, the warmup). A NaN value leaves a gap: a second without samples draws nothing
 * rather than a zero.
 */
public final class TimelineChart {

    /** A guide's colour index: none of the palette's. */
    private static final int GUIDE = -1;
    private static final Color GUIDE_COLOUR = new Color(0x777777);
    private static final Color[] SHADES = {new Color(0xeeeeee), new Color(0xfff1cc), new Color(0xdde8f4)};

    private final String title;
    private final String timeLabel;
    private final List<Axis> axes = new ArrayList<>();
    private final List<Shade> shades = new ArrayList<>();
    private int seriesCount;

    private TimelineChart(String title, String timeLabel) {
        this.title = title;
        this.timeLabel = timeLabel;
    }

    /**
     * @param title     the chart's title
     * @param timeLabel the time axis' label, with its unit
     */
    public static TimelineChart titled(String title, String timeLabel) {
        return new TimelineChart(title, timeLabel);
    }

    /** A value axis: the first is on the left, the second on the right; the series that follow are drawn on it. */
    public TimelineChart axis(String label, boolean logarithmic) {
        axes.add(new Axis(label, logarithmic));
        return this;
    }

    /** A line over time, on the last axis added. */
    public TimelineChart line(String name, double[] times, double[] values) {
        currentAxis().lines.add(series(name, times, values, true));
        return this;
    }

    /**
     * A guide over time, on the last axis added: a thin dashed grey line (a plan, a limit) that
     * the figures are read against, taking no colour from theirs.
     */
    public TimelineChart guide(String name, double[] times, double[] values) {
        Series line = series(name, times, values, true);
        seriesCount--;
        currentAxis().lines.add(new Series(line.series, GUIDE));
        return this;
    }

    /**
     * Bars, one per time, stacked on the other bars of the last axis added. Every bar series of
     * an axis must have the same times. A bar spans the interval that ends at its time.
     */
    public TimelineChart bars(String name, double[] times, double[] values) {
        currentAxis().bars.add(series(name, times, values, false));
        return this;
    }

    /** Shades the stretch from {@code from} to {@code to}, named {@code label} at its top. */
    public TimelineChart shade(double from, double to, String label) {
        if (to > from) {
            shades.add(new Shade(from, to, label));
        }
        return this;
    }

    public JFreeChart build() {
        NumberAxis time = new NumberAxis(timeLabel);
        time.setNumberFormatOverride(ChartStyle.format("#,##0.#"));
        time.setAutoRangeIncludesZero(true);
        // Time since the start is never negative, even where a first bar reaches back past it.
        time.setRangeType(RangeType.POSITIVE);
        // Whole seconds (or steps) between ticks: JFreeChart's own choice can fall on tenths
        // whose labels overrun each other.
        time.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        // At least a second, so that a run shorter than one still has a tick at each end.
        time.setAutoRangeMinimumSize(1);
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(time);
        int dataset = 0;
        for (int a = 0; a < axes.size(); a++) {
            Axis axis = axes.get(a);
            plot.setRangeAxis(a, axis.valueAxis());
            if (!axis.bars.isEmpty()) {
                DefaultTableXYDataset bars = new DefaultTableXYDataset();
                axis.bars.forEach(s -> bars.addSeries(s.series));
                // x is the end of the second counted: the bar spans the second before it.
                bars.setIntervalPositionFactor(1.0);
                dataset = add(plot, dataset, a, bars, barRenderer(axis.bars));
            }
            if (!axis.lines.isEmpty()) {
                XYSeriesCollection lines = new XYSeriesCollection();
                axis.lines.forEach(s -> lines.addSeries(s.series));
                dataset = add(plot, dataset, a, lines, lineRenderer(axis.lines));
            }
        }
        for (int i = 0; i < shades.size(); i++) {
            Shade s = shades.get(i);
            IntervalMarker marker = new IntervalMarker(s.from, s.to, SHADES[i % SHADES.length]);
            marker.setLabel(s.label);
            marker.setLabelFont(ChartStyle.LABEL_FONT);
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            marker.setLabelBackgroundColor(new Color(0, 0, 0, 0));
            // Stagger the names on three rows, so that a short stretch's does not hide the next ones'.
            marker.setLabelOffset(new RectangleInsets(2 + 11 * (i % 3), 2, 2, 2));
            plot.addDomainMarker(marker, Layer.BACKGROUND);
        }
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE_FONT, plot, true);
        ChartStyle.apply(chart, null);
        return chart;
    }

    private static int add(XYPlot plot, int index, int axis, org.jfree.data.xy.XYDataset data, XYItemRenderer renderer) {
        // The renderer first: a dataset without its own is ranged by the plot's first renderer,
        // and a stacked bar renderer there cannot range lines.
        plot.setRenderer(index, renderer);
        plot.setDataset(index, data);
        plot.mapDatasetToRangeAxis(index, axis);
        return index + 1;
    }

    private static XYItemRenderer lineRenderer(List<Series> lines) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        // One SVG path per series, not an element per segment: an hour's timeline is 3,600 points.
        renderer.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < lines.size(); i++) {
            boolean guide = lines.get(i).colour == GUIDE;
            renderer.setSeriesPaint(i, guide ? GUIDE_COLOUR : ChartStyle.colour(lines.get(i).colour));
            renderer.setSeriesStroke(i, guide ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
                    new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
        }
        return renderer;
    }

    private static XYItemRenderer barRenderer(List<Series> bars) {
        StackedXYBarRenderer renderer = new StackedXYBarRenderer(0.1);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        for (int i = 0; i < bars.size(); i++) {
            renderer.setSeriesPaint(i, ChartStyle.colour(bars.get(i).colour));
        }
        return renderer;
    }

    private Axis currentAxis() {
        if (axes.isEmpty()) {
            throw new IllegalStateException("add an axis before its series");
        }
        return axes.get(axes.size() - 1);
    }

    private Series series(String name, double[] times, double[] values, boolean allowGaps) {
        if (times.length != values.length) {
            throw new IllegalArgumentException(name + ": " + times.length + " times, " + values.length + " values");
        }
        XYSeries series = new XYSeries(name, true, false);
        for (int i = 0; i < times.length; i++) {
            // A bar of NaN would break the stack: it counts nothing.
            series.add(times[i], allowGaps || !Double.isNaN(values[i]) ? values[i] : 0);
        }
        return new Series(series, seriesCount++);
    }

    private record Series(XYSeries series, int colour) {
    }

    private record Shade(double from, double to, String label) {
    }

    private static final class Axis {
        final String label;
        final boolean logarithmic;
        final List<Series> lines = new ArrayList<>();
        final List<Series> bars = new ArrayList<>();

        Axis(String label, boolean logarithmic) {
            this.label = label;
            this.logarithmic = logarithmic;
        }

        ValueAxis valueAxis() {
            double min = Double.MAX_VALUE;
            double max = 0;
            for (List<Series> group : List.of(lines, bars)) {
                for (Series s : group) {
                    for (int i = 0; i < s.series.getItemCount(); i++) {
                        double v = s.series.getY(i).doubleValue();
                        if (v > 0 && !Double.isNaN(v)) {
                            min = Math.min(min, v);
                            max = Math.max(max, v);
                        }
                    }
                }
            }
            return ChartStyle.valueAxis(label, logarithmic, min == Double.MAX_VALUE ? 0 : min, max);
        }
    }
}
