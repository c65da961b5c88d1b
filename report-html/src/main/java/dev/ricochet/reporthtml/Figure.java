package dev.ricochet.reporthtml;

import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;

/**
 * A chart ready for a page: its SVG, and the names of its series, which the page states on the
 * figure (a {@code data-series} attribute) so that a reader of the DOM finds them without
 * parsing the drawing.
 *
 * @param id      the element's id, unique within the page
 * @param svg     the {@code <svg>} element
 * @param series  the series drawn, in legend order
 * @param caption a line under the chart; empty for none
 */
public record Figure(String id, String svg, List<String> series, String caption) {

    /** The drawing's size: two fit side by side on a 1366-pixel-wide screen, a row of them under 330 pixels high. */
    public static final int WIDTH = 640;
    public static final int HEIGHT = 300;

    public Figure {
        series = List.copyOf(series);
    }

    /** Draws {@code chart} at the pages' size. */
    public static Figure of(String id, JFreeChart chart, String caption) {
        return of(id, chart, WIDTH, HEIGHT, caption);
    }

    /** Draws {@code chart} at {@code width} x {@code height} pixels (the page scales it to its column). */
    public static Figure of(String id, JFreeChart chart, int width, int height, String caption) {
        List<String> names = new ArrayList<>();
        LegendItemCollection legend = chart.getPlot().getLegendItems();
        for (int i = 0; i < legend.getItemCount(); i++) {
            names.add(legend.get(i).getLabel());
        }
        return new Figure(id, SvgChart.render(chart, id + "-svg", width, height), names, caption);
    }
}
