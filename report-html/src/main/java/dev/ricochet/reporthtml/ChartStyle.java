package dev.ricochet.reporthtml;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.RangeType;

/** What every chart of every page shares: a white plot, one palette, plain number labels. */
public final class ChartStyle {

    /** Tells series apart, in the order a chart lists them, on every chart. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    };
    private static final Color GRID = new Color(0xcccccc);
    private static final Color MINOR_GRID = new Color(0xe4e4e4);
    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);

    private ChartStyle() {
    }

    /** A number format of {@code pattern}, the same in every locale (a point for decimals). */
    public static DecimalFormat format(String pattern) {
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    /** The colour of the series at {@code index}, the same on every chart. */
    public static Paint colour(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** A white chart and plot, grey grid lines, the title in the pages' font, an optional caption under it. */
    public static void apply(JFreeChart chart, String caption) {
        chart.setBackgroundPaint(Color.WHITE);
        // Room on the right for the last tick label of the axis below the plot.
        chart.setPadding(new RectangleInsets(2, 2, 2, 18));
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE_FONT);
        }
        if (caption != null && !caption.isEmpty()) {
            chart.addSubtitle(new TextTitle(caption));
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
            xy.setRangeGridlineStroke(new BasicStroke(1f));
            xy.setDomainGridlineStroke(new BasicStroke(1f));
            xy.setRangeMinorGridlinePaint(MINOR_GRID);
            xy.setRangeMinorGridlinesVisible(xy.getRangeAxis() instanceof LogAxis);
        } else if (plot instanceof CategoryPlot category) {
            styleCategoryPlot(category);
            if (category instanceof CombinedDomainCategoryPlot combined) {
                // Each stacked plot draws its own grid.
                for (Object subplot : combined.getSubplots()) {
                    styleCategoryPlot((CategoryPlot) subplot);
                }
            }
        }
    }

    /** Bars or lines over categories (engines, servers): the grid along the value axis only. */
    private static void styleCategoryPlot(CategoryPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setRangeMinorGridlinePaint(MINOR_GRID);
        plot.setRangeMinorGridlinesVisible(plot.getRangeAxis() instanceof LogAxis);
    }

    /**
     * A value axis for figures from {@code min} to {@code max}; a logarithmic one for figures
     * that span orders of magnitude (latency). That one spans whole decades with a tick at
     * each, labelled 0.1, 1, 10, 100, ...: JFreeChart's own choice of ticks on a log axis
     * falls on values such as 316.228. A linear one starts at zero, so that heights compare.
     *
     * @param min the smallest figure drawn, > 0 for a logarithmic axis (else it ranges itself)
     * @param max the largest figure drawn
     */
    public static ValueAxis valueAxis(String label, boolean logarithmic, double min, double max) {
        if (!logarithmic) {
            NumberAxis axis = new NumberAxis(label);
            axis.setNumberFormatOverride(format("#,##0.##"));
            // At least 0 to 1, so that all-zero figures (no errors) get a plain axis, not
            // ticks around 0.
            axis.setRangeType(RangeType.POSITIVE);
            axis.setAutoRangeIncludesZero(true);
            axis.setAutoRangeMinimumSize(1);
            return axis;
        }
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setNumberFormatOverride(format("#,##0.###"));
        if (min > 0 && max >= min) {
            // The lower decade a hair inside the range: LogAxis leaves a tick on the range's very
            // end unlabelled, and the axis would read from its second decade up.
            axis.setRange(Math.pow(10, Math.floor(Math.log10(min))) * (1 - 1e-9),
                    Math.pow(10, Math.ceil(Math.log10(max) + 1e-9)));
            // A major tick per decade, no automatic choice. LogAxis spaces a unit's minor ticks
            // evenly in value between two decades: a count of 9 puts them at 2, 3, ... 9 times
            // the decade, where readers of a log scale expect them.
            axis.setTickUnit(new NumberTickUnit(1, format("0"), 9), false, true);
            axis.setMinorTickMarksVisible(true);
        }
        return axis;
    }
}
