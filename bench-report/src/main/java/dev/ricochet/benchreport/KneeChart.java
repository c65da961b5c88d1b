package dev.ricochet.benchreport;

import dev.ricochet.reporthtml.ChartStyle;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.function.Predicate;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The charts of {@code bench/knee.sh}: a search's steps, and the corrected p99 at each rate
 * against the goal. A step that held is a filled shape, one that missed a hollow one.
 */
final class KneeChart {

    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final Color GOAL = new Color(0x444444);
    private static final BasicStroke DASHED = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
            new float[] {5f, 4f}, 0f);

    /**
     * One step of a search, or one rate of the rate-by-rate mode.
     *
     * @param step   its number, from 1
     * @param rate   the rate offered, requests/s
     * @param p99    the corrected p99 of its window, ms; NaN when there is none
     * @param held   whether it held
     * @param served requests answered per second; NaN when not charted
     */
    record Step(int step, double rate, double p99, boolean held, double served) {

        Step(int step, double rate, double p99, boolean held) {
            this(step, rate, p99, held, Double.NaN);
        }
    }

    /**
     * One server's search (or rates), in the order tried.
     *
     * @param colour     the index of its colour in {@link ChartStyle#colour}
     * @param answer     the search's answer, requests/s; 0 for none
     * @param answerText the answer's label on the chart
     */
    record Series(String name, int colour, List<Step> steps, double answer, String answerText) {

        Series {
            steps = List.copyOf(steps);
        }

        /** The same series with only the steps that {@code drawn} accepts. */
        Series only(Predicate<Step> drawn) {
            return new Series(name, colour, steps.stream().filter(drawn).toList(), answer, answerText);
        }
    }

    private KneeChart() {
    }

    /** The rate tried at each step, a dashed line at each search's answer. */
    static JFreeChart steps(List<Series> searches) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : searches) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            s.steps().forEach(step -> xy.add(step.step(), step.rate()));
            data.addSeries(xy);
        }
        NumberAxis steps = new NumberAxis("step");
        steps.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        steps.setAutoRangeIncludesZero(false);
        NumberAxis rate = rateAxis("rate tried, requests/s");
        XYPlot plot = new XYPlot(data, steps, rate, renderer(searches, true));
        for (int i = 0; i < searches.size(); i++) {
            Series s = searches.get(i);
            if (s.answer() > 0) {
                ValueMarker answer = new ValueMarker(s.answer(), ChartStyle.colour(s.colour()), DASHED);
                answer.setLabel(s.answerText());
                answer.setLabelFont(LABEL_FONT);
                answer.setLabelPaint(ChartStyle.colour(s.colour()));
                answer.setLabelBackgroundColor(new Color(255, 255, 255, 200));
                answer.setLabelAnchor(RectangleAnchor.TOP_LEFT);
                answer.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
                plot.addRangeMarker(answer, Layer.BACKGROUND);
            }
        }
        return chart("The search: the rate tried at each step", plot);
    }

    /**
     * The corrected p99 at each rate, on a log scale, against the goal.
     *
     * @param lines whether to join the points (rates offered in ascending order); a search's
     *              steps jump back and forth, and are left as points
     */
    static JFreeChart p99ByRate(List<Series> runs, double goal, boolean lines) {
        // A point a log axis cannot show (no p99, or 0) is left out, not drawn at the bottom.
        List<Series> drawn = runs.stream().map(s -> s.only(step -> step.p99() > 0)).toList();
        XYSeriesCollection data = new XYSeriesCollection();
        double min = Double.isFinite(goal) ? goal : Double.POSITIVE_INFINITY;
        double max = Double.isFinite(goal) ? goal : 0;
        for (Series s : drawn) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (Step step : s.steps()) {
                xy.add(step.rate(), step.p99());
                min = Math.min(min, step.p99());
                max = Math.max(max, step.p99());
            }
            data.addSeries(xy);
        }
        ValueAxis p99 = ChartStyle.valueAxis("corrected p99, ms (log scale)", true, min, max);
        XYPlot plot = new XYPlot(data, rateAxis("rate offered, requests/s"), p99, renderer(drawn, lines));
        if (Double.isFinite(goal)) {
            ValueMarker marker = new ValueMarker(goal, GOAL, DASHED);
            marker.setLabel("goal: p99 < " + ChartStyle.format("0.###").format(goal) + " ms");
            marker.setLabelFont(LABEL_FONT);
            marker.setLabelPaint(GOAL);
            marker.setLabelBackgroundColor(new Color(255, 255, 255, 200));
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(marker, Layer.BACKGROUND);
        }
        return chart("Corrected p99 at each rate, against the goal", plot);
    }

    /** Requests answered per second at each rate offered. */
    static JFreeChart served(List<Series> runs) {
        List<Series> drawn = runs.stream().map(s -> s.only(step -> Double.isFinite(step.served()))).toList();
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : drawn) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            s.steps().forEach(step -> xy.add(step.rate(), step.served()));
            data.addSeries(xy);
        }
        XYPlot plot = new XYPlot(data, rateAxis("rate offered, requests/s"), rateAxis("served, requests/s"),
                renderer(drawn, true));
        return chart("Requests served at each rate offered", plot);
    }

    private static NumberAxis rateAxis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setNumberFormatOverride(ChartStyle.format("#,##0"));
        axis.setAutoRangeIncludesZero(true);
        return axis;
    }

    /** Each series in its colour; a shape per step, filled when it held ({@code series} as drawn: item i is step i). */
    private static XYLineAndShapeRenderer renderer(List<Series> series, boolean lines) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(lines, true) {
            @Override
            public boolean getItemShapeFilled(int s, int item) {
                return series.get(s).steps().get(item).held();
            }
        };
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, ChartStyle.colour(series.get(i).colour()));
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        return renderer;
    }

    private static JFreeChart chart(String title, XYPlot plot) {
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartStyle.apply(chart, null);
        return chart;
    }
}
