package dev.ricochet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a screenshot, or a part of it, shows something: a page that failed to render (a
 * script error, a chart that drew nothing, a missing font leaving nothing to see) comes out as
 * one flat colour, or nearly. Ink is every pixel that differs from the most common colour (the
 * background, whatever it is); anti-aliased text and lines bring many colours.
 */
public final class ScreenshotCheck {

    /** Fewest distinct colours a drawn page shows: text alone, anti-aliased, has dozens. */
    public static final int MIN_COLOURS = 8;
    /** Least share of ink: a chart's axes, labels and series cover more than 1% of its box. */
    public static final double MIN_INK = 0.01;

    private ScreenshotCheck() {
    }

    /**
     * What a region of a screenshot shows.
     *
     * @param background the most common colour, as 0xRRGGBB
     * @param colours    how many distinct colours it has
     * @param ink        the share of its pixels that differ from the background, 0 to 1
     */
    public record Ink(int background, int colours, double ink) {

        public boolean blank() {
            return colours < MIN_COLOURS || ink < MIN_INK;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d colours, %.2f%% of the pixels differ from the background #%06x",
                    colours, ink * 100, background);
        }
    }

    /** Fails when the whole screenshot is blank. */
    public static void assertNotBlank(BufferedImage image) {
        assertNotBlank(image, new Rectangle(0, 0, image.getWidth(), image.getHeight()), "the screenshot");
    }

    /** Fails when the part of the screenshot in {@code region} (e.g. a chart's box) is blank. */
    public static void assertNotBlank(BufferedImage image, Rectangle region, String what) {
        Ink ink = measure(image, region);
        if (ink.blank()) {
            fail(what + " (" + region.width + "x" + region.height + " at " + region.x + "," + region.y
                    + ") is blank: " + ink + " (expected: at least " + MIN_COLOURS + " colours and "
                    + MIN_INK * 100 + "% ink)");
        }
    }

    /** The ink of the pixels of {@code region} that lie on the image; fails when none does. */
    public static Ink measure(BufferedImage image, Rectangle region) {
        Rectangle area = region.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
        if (area.isEmpty()) {
            return fail("the region " + region + " lies outside the " + image.getWidth() + "x" + image.getHeight()
                    + " screenshot");
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                counts.merge(image.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
            }
        }
        Map.Entry<Integer, Integer> background = counts.entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow();
        long pixels = (long) area.width * area.height;
        return new Ink(background.getKey(), counts.size(), (pixels - background.getValue()) / (double) pixels);
    }
}
