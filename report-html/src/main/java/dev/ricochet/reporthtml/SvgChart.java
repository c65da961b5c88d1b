package dev.ricochet.reporthtml;

import java.awt.Rectangle;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * A chart drawn as an SVG element, to be inlined in a page: vector, so it stays sharp at any
 * zoom, and text as {@code <text>}, so a reader (or a test reading the DOM) finds the series'
 * names and the axes' labels in it.
 */
public final class SvgChart {

    private SvgChart() {
    }

    /**
     * @param chart  the chart
     * @param id     the element's id, unique within the page; it also prefixes the ids of the
     *               chart's clip paths, which would otherwise collide between charts of one page
     * @param width  the drawing's width, in pixels; the page scales it to its column
     * @param height the drawing's height, in pixels
     * @return an {@code <svg>} element with a view box, so that it scales with its container
     */
    public static String render(JFreeChart chart, String id, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGElement(id, true, new ViewBox(0, 0, width, height), null, null);
    }
}
