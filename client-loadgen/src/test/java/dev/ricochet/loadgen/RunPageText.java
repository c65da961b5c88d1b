package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's HTML page read back as text, the way a reader of its DOM finds its figures: the charts
 * by id with the series their {@code data-series} names, the verdict, the tables' cells. Works on
 * the file as written and on Chromium's dump of its DOM alike.
 */
record RunPageText(String html) {

    private static final Pattern FIGURE = Pattern.compile("<figure class=\"chart\" id=\"([^\"]+)\" data-series=\"([^\"]*)\"");
    private static final Pattern VERDICT = Pattern.compile("<div class=\"verdict (passed|failed)\" id=\"verdict\">(.*?)</div>",
            Pattern.DOTALL);
    private static final Pattern FACT = Pattern.compile("<li><b>(.*?)</b> (.*?)</li>", Pattern.DOTALL);
    private static final Pattern TITLE = Pattern.compile("<h1>(.*?)</h1>", Pattern.DOTALL);
    private static final Pattern ROW = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<t[dh][^>]*>(.*?)</t[dh]>", Pattern.DOTALL);

    static RunPageText read(Path page) {
        try {
            return new RunPageText(Files.readString(page, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The charts, by id in page order, each with the series it draws. */
    Map<String, List<String>> charts() {
        Map<String, List<String>> charts = new LinkedHashMap<>();
        Matcher m = FIGURE.matcher(html);
        while (m.find()) {
            charts.put(m.group(1), m.group(2).isEmpty() ? List.of() : List.of(unescape(m.group(2)).split("\\|")));
        }
        return charts;
    }

    String title() {
        Matcher m = TITLE.matcher(html);
        assertThat(m.find()).as("a title").isTrue();
        return unescape(m.group(1));
    }

    /** The fact of the header named {@code name}. */
    String fact(String name) {
        Matcher m = FACT.matcher(html);
        while (m.find()) {
            if (unescape(m.group(1)).equals(name)) {
                return unescape(m.group(2));
            }
        }
        throw new AssertionError("no fact " + name + " in the header");
    }

    /** The verdict as the page says it; fails when it has none. */
    String verdict() {
        Matcher m = VERDICT.matcher(html);
        assertThat(m.find()).as("a verdict in the page").isTrue();
        return unescape(m.group(2));
    }

    /** The table of {@code id}: its rows, the header first, each a list of its cells' text. */
    List<List<String>> table(String id) {
        int start = html.indexOf("<table id=\"" + id + "\">");
        assertThat(start).as("table " + id).isNotNegative();
        String table = html.substring(start, html.indexOf("</table>", start));
        List<List<String>> rows = new ArrayList<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(1));
            while (cell.find()) {
                cells.add(unescape(cell.group(1)));
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The row of table {@code id} whose first cell is {@code name}, without it. */
    List<String> row(String id, String name) {
        return table(id).stream().filter(r -> r.get(0).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in table " + id + ": " + table(id)))
                .subList(1, table(id).get(0).size());
    }

    /**
     * A latency of the JSON report as the percentile table writes it: its samples, then p50 to
     * p99.99, max and mean, milliseconds to three decimals.
     */
    static List<String> percentileCells(JsonNode latency) {
        List<String> cells = new ArrayList<>(List.of(String.format(Locale.ROOT, "%,d", latency.get("samples").asLong())));
        for (String figure : List.of("p50", "p90", "p99", "p99.9", "p99.99", "max", "mean")) {
            cells.add(String.format(Locale.ROOT, "%.3f", latency.get(figure).asDouble()));
        }
        return cells;
    }

    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
