package dev.ricochet.reporthtml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HtmlPageTest {

    @Test
    void escapesEveryTextGiven() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("target", "<script>alert(1)</script>");
        String html = new HtmlPage("a & b").facts(facts).verdict(false, "FAILED: \"x\" < y").section("s", "<h>")
                .paragraph("'p'").table(new Table("t", List.of("<c>"), List.of(List.of("<d>")))).render();
        assertThat(html).doesNotContain("<script>").doesNotContain("<h>").doesNotContain("<c>").doesNotContain("<d>")
                .contains("<title>a &amp; b</title>", "&lt;script&gt;", "FAILED: &quot;x&quot; &lt; y", "&#39;p&#39;");
    }

    @Test
    void rendersMarkdownTablesAndEscapesTheirRawHtml() {
        String html = new HtmlPage("t").markdown("""
                # Results

                | server | requests/s |
                |---|---|
                | ricochet | 64,324 |

                <img src="x" onerror="alert(1)">
                """).render();
        assertThat(html).contains("<table>", "<td>ricochet</td>", "<td>64,324</td>").doesNotContain("<img");
    }

    @Test
    void marksTheVerdictPassedOrFailed() {
        assertThat(new HtmlPage("t").verdict(true, "PASSED").render()).contains("class=\"verdict passed\"");
        assertThat(new HtmlPage("t").verdict(false, "FAILED").render()).contains("class=\"verdict failed\"");
    }

    @Test
    void rightAlignsTheCellsThatAreNumbers() {
        String html = new HtmlPage("t").table(new Table("t", List.of("a", "b", "c", "d"),
                List.of(List.of("1,234.5", "12.3 ms", "epoll", "0.56x")))).render();
        assertThat(html).contains("<td class=\"n\">1,234.5</td>", "<td class=\"n\">12.3 ms</td>", "<td>epoll</td>",
                "<td class=\"n\">0.56x</td>");
    }

    @Test
    void refusesARowThatDoesNotFitTheHeader() {
        assertThatThrownBy(() -> new Table("t", List.of("a", "b"), List.of(List.of("1"))))
                .hasMessageContaining("a row of 1 cells under 2 columns");
    }

    @Test
    void aPageOfChartsNamesTheirSeriesAndFetchesNothing() {
        Histogram h = new Histogram(1_000, 3_600_000_000_000L, 3);
        for (int i = 1; i <= 10_000; i++) {
            h.recordValue(i * 1_000L);
        }
        Figure spectrum = Figure.of("latency", PercentileChart.draw("Latency by percentile", "ms",
                List.of(PercentileChart.Curve.of("corrected", h, 1e6))), "");
        Figure timeline = Figure.of("timeline", TimelineChart.titled("Requests/s", "seconds")
                .axis("requests/s", false).line("requests/s", new double[] {1, 2}, new double[] {10, 20}).build(), "");
        String html = new HtmlPage("t").charts(List.of(spectrum, timeline)).render();

        assertThat(html).contains("id=\"latency\" data-series=\"corrected\"", "id=\"timeline\" data-series=\"requests/s\"");
        // Nothing the browser would fetch: no source, style or link from elsewhere.
        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"(https?:)?//").doesNotContain("@import")
                .doesNotContainPattern("url\\((?!#)");
        assertThat(clipIds(html)).doesNotHaveDuplicates().isNotEmpty();
    }

    private static List<String> clipIds(String html) {
        Matcher m = Pattern.compile("<clipPath id=['\"]([^'\"]+)['\"]").matcher(html);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
