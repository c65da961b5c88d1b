package dev.ricochet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class ScreenshotCheckTest {

    @Test
    void takesTheMostCommonColourForTheBackgroundWhateverItIs() {
        BufferedImage image = image(200, 100, Color.DARK_GRAY);
        stripes(image, new Rectangle(0, 0, 100, 100));

        ScreenshotCheck.Ink ink = ScreenshotCheck.measure(image, new Rectangle(0, 0, 200, 100));

        assertThat(ink.background()).isEqualTo(Color.DARK_GRAY.getRGB() & 0xFFFFFF);
        assertThat(ink.colours()).isEqualTo(11);
        assertThat(ink.ink()).isEqualTo(0.25);
        ScreenshotCheck.assertNotBlank(image);
    }

    @Test
    void judgesARegionOnItsOwnPixels() {
        BufferedImage image = image(200, 100, Color.WHITE);
        stripes(image, new Rectangle(100, 0, 100, 100));

        ScreenshotCheck.assertNotBlank(image, new Rectangle(100, 0, 100, 100), "the right half");
        assertThatThrownBy(() -> ScreenshotCheck.assertNotBlank(image, new Rectangle(0, 0, 100, 100), "the left half"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("the left half (100x100 at 0,0) is blank: 1 colours, 0.00% of the pixels");
    }

    @Test
    void seesAFewColouredPixelsAsBlank() {
        BufferedImage image = image(200, 100, Color.WHITE);
        stripes(image, new Rectangle(0, 0, 10, 10));

        assertThat(ScreenshotCheck.measure(image, new Rectangle(0, 0, 200, 100)).blank()).isTrue();
    }

    @Test
    void refusesARegionOutsideTheImage() {
        BufferedImage image = image(200, 100, Color.WHITE);

        assertThatThrownBy(() -> ScreenshotCheck.measure(image, new Rectangle(300, 0, 10, 10)))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("lies outside the 200x100 screenshot");
    }

    private static BufferedImage image(int width, int height, Color background) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** Every other row of {@code area} drawn, in ten colours: half its pixels. */
    private static void stripes(BufferedImage image, Rectangle area) {
        Graphics2D g = image.createGraphics();
        for (int y = area.y; y < area.y + area.height; y += 2) {
            g.setColor(new Color(20 * (y / 2 % 10), 40, 200));
            g.fillRect(area.x, y, area.width, 1);
        }
        g.dispose();
    }
}
