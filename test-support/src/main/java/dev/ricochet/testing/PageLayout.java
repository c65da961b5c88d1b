package dev.ricochet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the elements matching some CSS selectors lay on the browser's first screen, in CSS
 * pixels from its top left corner before any scrolling ({@code getBoundingClientRect}), as
 * {@link HeadlessChromium#layout} measured them.
 *
 * <p>Why measure rather than look at the screenshot's pixels: a screenshot shows that something
 * was drawn, not which chart it is; the boxes say that the latency chart, by its id, ends above
 * the fold. Together, {@code ScreenshotCheck.assertNotBlank(shot, layout.box("#spectrum")
 * .rectangle(), "the spectrum")} checks both that it is there and that it was drawn.
 *
 * @param viewportWidth  the window's inner width, in CSS pixels
 * @param viewportHeight the window's inner height, in CSS pixels
 * @param boxes          for each selector, in the order given, the boxes of the elements it matched
 */
public record PageLayout(int viewportWidth, int viewportHeight, Map<String, List<Box>> boxes) {

    static final String ATTRIBUTE = "data-ricochet-layout";
    private static final Pattern MEASURED = Pattern.compile(ATTRIBUTE + "=\"([^\"]*)\"");
    private static final Pattern BODY_END = Pattern.compile("(?i)</body\\s*>");

    public PageLayout {
        Map<String, List<Box>> copy = new LinkedHashMap<>();
        boxes.forEach((selector, found) -> copy.put(selector, List.copyOf(found)));
        boxes = Collections.unmodifiableMap(copy);
    }

    /**
     * An element's border box, in CSS pixels.
     *
     * @param x      its left edge from the window's left
     * @param y      its top edge from the window's top (the page not scrolled)
     * @param width  its width, 0 when it is not rendered
     * @param height its height, 0 when it is not rendered
     */
    public record Box(double x, double y, double width, double height) {

        public double right() {
            return x + width;
        }

        public double bottom() {
            return y + height;
        }

        /** Whether it has an area and lies wholly inside a window of {@code width} x {@code height}. */
        public boolean visibleWithin(int windowWidth, int windowHeight) {
            return width > 0 && height > 0 && x >= 0 && y >= 0 && right() <= windowWidth && bottom() <= windowHeight;
        }

        /** The screenshot's pixels it covers, rounded outwards. */
        public Rectangle rectangle() {
            int left = (int) Math.floor(x);
            int top = (int) Math.floor(y);
            return new Rectangle(left, top, (int) Math.ceil(right()) - left, (int) Math.ceil(bottom()) - top);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0fx%.0f at (%.0f, %.0f)", width, height, x, y);
        }
    }

    /** The boxes of the elements {@code selector} matched (maybe none). */
    public List<Box> boxes(String selector) {
        List<Box> found = boxes.get(selector);
        if (found == null) {
            throw new IllegalArgumentException("selector: " + selector + " (expected: one of " + boxes.keySet() + ")");
        }
        return found;
    }

    /** The box of the one element {@code selector} matched; fails when it matched none or several. */
    public Box box(String selector) {
        List<Box> found = boxes(selector);
        if (found.size() != 1) {
            fail(selector + " matched " + found.size() + " elements, not one: " + found);
        }
        return found.get(0);
    }

    /**
     * Fails unless every selector matched at least one element and every element it matched has
     * an area and lies wholly on the first screen.
     */
    public void assertVisibleWithoutScrolling() {
        List<String> problems = new ArrayList<>();
        boxes.forEach((selector, found) -> {
            if (found.isEmpty()) {
                problems.add(selector + " matched nothing");
            }
            for (Box box : found) {
                if (!box.visibleWithin(viewportWidth, viewportHeight)) {
                    problems.add(selector + " is " + box);
                }
            }
        });
        if (!problems.isEmpty()) {
            fail("not all visible without scrolling on a " + viewportWidth + "x" + viewportHeight + " screen: "
                    + String.join("; ", problems));
        }
    }

    /**
     * {@code page} with a script at the end of its body that writes the window's size and each
     * selector's boxes into an attribute of {@code <html>}, where the dumped DOM shows them. It
     * measures at once and again on load, when images and fonts are in.
     */
    static String withMeasuringScript(String page, List<String> selectors) {
        if (selectors.isEmpty()) {
            throw new IllegalArgumentException("selectors: none (expected: at least one)");
        }
        StringBuilder list = new StringBuilder();
        for (String selector : selectors) {
            list.append(list.isEmpty() ? "" : ",").append(jsString(selector));
        }
        String script = """
                <script>
                (function () {
                  var selectors = [%s];
                  function measure() {
                    var parts = [window.innerWidth + " " + window.innerHeight];
                    selectors.forEach(function (selector, i) {
                      var found;
                      try { found = document.querySelectorAll(selector); } catch (e) { parts.push(i + " invalid"); return; }
                      found.forEach(function (element) {
                        var r = element.getBoundingClientRect();
                        parts.push(i + " " + r.left + " " + r.top + " " + r.width + " " + r.height);
                      });
                    });
                    document.documentElement.setAttribute("%s", parts.join(";"));
                  }
                  measure();
                  window.addEventListener("load", measure);
                })();
                </script>
                """.formatted(list, ATTRIBUTE);
        Matcher end = BODY_END.matcher(page);
        int at = -1;
        while (end.find()) {
            at = end.start();
        }
        return at < 0 ? page + script : page.substring(0, at) + script + page.substring(at);
    }

    static PageLayout parse(String dom, List<String> selectors) {
        Matcher measured = MEASURED.matcher(dom);
        if (!measured.find()) {
            return fail("the measuring script left no " + ATTRIBUTE + " on <html>: it did not run"
                    + " (a Content-Security-Policy in the page forbids inline scripts?)");
        }
        String[] parts = measured.group(1).split(";");
        String[] viewport = parts[0].split(" ");
        Map<String, List<Box>> boxes = new LinkedHashMap<>();
        selectors.forEach(selector -> boxes.put(selector, new ArrayList<>()));
        for (int i = 1; i < parts.length; i++) {
            String[] fields = parts[i].split(" ");
            String selector = selectors.get(Integer.parseInt(fields[0]));
            if (fields[1].equals("invalid")) {
                throw new IllegalArgumentException("selector: " + selector + " (expected: a CSS selector)");
            }
            boxes.get(selector).add(new Box(Double.parseDouble(fields[1]), Double.parseDouble(fields[2]),
                    Double.parseDouble(fields[3]), Double.parseDouble(fields[4])));
        }
        return new PageLayout(Integer.parseInt(viewport[0]), Integer.parseInt(viewport[1]), boxes);
    }

    /** A JavaScript string literal that cannot end the script element it sits in. */
    private static String jsString(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20 || c > 0x7e) {
                literal.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                literal.append(c);
            }
        }
        return literal.append('"').toString();
    }
}
