package dev.ricochet.benchreport;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.text.DecimalFormat;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.RangeType;

/** What every chart shares: a white plot, one colour per engine, and plain number labels. */
final class ChartStyle {

    /** Tells the engines apart, in the order the report lists them, on every chart. */
    private static final Color[] ENGINE_COLOURS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    };
    private static final Color GRID = new Color(0xcccccc);
    private static final Color MINOR_GRID = new Color(0xbbbbbb);

    private ChartStyle() {
    }

    static Paint engineColour(int index) {
        return ENGINE_COLOURS[Math.floorMod(index, ENGINE_COLOURS.length)];
    }

    static void apply(JFreeChart chart, CategoryPlot plot, String caption) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(caption));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setRangeMinorGridlinePaint(MINOR_GRID);
        plot.setRangeMinorGridlinesVisible(plot.getRangeAxis() instanceof LogAxis);
    }

    /**
     * A range axis for values from {@code min} to {@code max}; a logarithmic one for figures
     * that span orders of magnitude between engines (latency, threads). That one spans whole
     * decades with a tick at each, labelled 0.1, 1, 10, 100, ...: JFreeChart's own choice of
     * ticks on a log axis falls on values such as 316.228.
     */
    static ValueAxis rangeAxis(String label, boolean logarithmic, double min, double max) {
        if (!logarithmic) {
            NumberAxis axis = new NumberAxis(label);
            axis.setNumberFormatOverride(new DecimalFormat("#,##0.##"));
            // From zero, so that heights compare (every figure drawn is positive); at least 0 to
            // 1, so that all-zero figures (no errors) get a plain axis, not ticks around 0.
            axis.setRangeType(RangeType.POSITIVE);
            axis.setAutoRangeIncludesZero(true);
            axis.setAutoRangeMinimumSize(1);
            return axis;
        }
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        if (min > 0 && max >= min) {
            axis.setRange(Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max) + 1e-9)));
            // A major tick per decade, no automatic choice. LogAxis spaces a unit's minor ticks
            // evenly in value between two decades: a count of 9 puts them at 2, 3, ... 9 times
            // the decade, where readers of a log scale expect them.
            axis.setTickUnit(new NumberTickUnit(1, new DecimalFormat("0"), 9), false, true);
            axis.setMinorTickMarksVisible(true);
        }
        return axis;
    }
}
