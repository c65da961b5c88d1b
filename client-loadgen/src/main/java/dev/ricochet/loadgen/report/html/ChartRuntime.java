package dev.ricochet.loadgen.report.html;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * Whether this Java runtime can draw the page's charts: JFreeChart draws through AWT, headless,
 * and measures its text with the platform's fonts (fontconfig on Linux), which a minimal image
 * may lack. Asked before the first connection, so that a page that cannot be drawn does not
 * cost a whole run. Loads AWT: only for a run that asks for a page.
 */
public final class ChartRuntime {

    private ChartRuntime() {
    }

    /**
     * AWT headless, unless told otherwise: the charts are drawn into SVG, never on a screen, and
     * a machine without a display must not try to open one. Set before any chart class loads.
     */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * Measures a word in the charts' font, as a chart's labels will be.
     *
     * @return why the charts cannot be drawn here; null when they can
     */
    public static String problem() {
        headless();
        try {
            Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            try {
                g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 10)).stringWidth("p99.99");
            } finally {
                g.dispose();
            }
            return null;
        } catch (Error | RuntimeException e) {
            // No fontconfig, no font, no libfreetype: AWT says so with an Error (InternalError,
            // UnsatisfiedLinkError) or a runtime exception, depending on what is missing.
            return e.toString();
        }
    }
}
