package dev.ricochet.benchreport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pages of the results committed in bench/results/, built as the scripts build them. */
class BenchPagesTest {

    private static final Path RESULTS = Path.of("..", "bench", "results");

    @TempDir
    Path out;

    @Test
    void theEnginesPageDrawsEveryChartOfThePngsWithEachEngine() throws IOException {
        JsonNode json = json("engines");
        String html = page("engines");

        List<String> engines = new ArrayList<>();
        json.path("engines").forEach(engine -> engines.add(engine.asText()));
        for (String id : List.of("requests-per-second", "p99", "errors", "rss", "threads", "prime-mix")) {
            assertThat(series(html, id)).as(id).containsExactlyInAnyOrderElementsOf(engines);
        }
        // The Markdown's tables, whole: the first run's requests/s as the script writes it.
        JsonNode first = json.path("runs").get(0);
        assertThat(html).contains("<td>" + first.path("engine").asText() + ", "
                + String.format(Locale.ROOT, "%,d", first.path("connections").asInt()) + "</td>\n<td>"
                + String.format(Locale.ROOT, "%,.0f", first.path("requests_per_second").asDouble()) + "</td>");
        // Its PNG charts are the page's SVG ones: not shown twice.
        assertThat(html).doesNotContain("<img").contains("<svg");
    }

    @Test
    void theC10kPageDrawsEachServersFiguresSideBySide() throws IOException {
        JsonNode medians = json("c10k-vs-reference").path("medians_over_rounds");
        String html = page("c10k-vs-reference");

        for (String id : List.of("requests-per-second", "cpu-per-request", "latency", "rss", "errors")) {
            assertThat(series(html, id)).as(id).containsExactly("reference epoll server", "Ricochet");
        }
        assertThat(series(html, "streaming")).contains("reference epoll server", "Ricochet");
        assertThat(html).contains("<td>" + String.format(Locale.ROOT, "%.2f",
                medians.path("ricochet").path("p99_ms").asDouble()) + "</td>");
        assertThat(html).contains("<td>" + String.format(Locale.ROOT, "%.0f",
                medians.path("reference").path("requests_per_second").asDouble()) + "</td>");
    }

    @Test
    void theKneePageDrawsEachServersSearchAndItsAnswer() throws IOException {
        JsonNode json = json("knee");
        String html = page("knee");

        List<String> servers = new ArrayList<>();
        json.path("servers").fieldNames().forEachRemaining(servers::add);
        List<String> labels = servers.stream().map(s -> s.equals("ricochet") ? "Ricochet" : "reference epoll server").toList();
        assertThat(series(html, "steps")).containsExactlyElementsOf(labels);
        assertThat(series(html, "p99-by-rate")).containsExactlyElementsOf(labels);
        String answer = String.format(Locale.ROOT, "%,d",
                json.path("servers").path(servers.get(0)).path("rounds").get(0).path("answer_per_second").asInt());
        // In the chart (the answer's line), the header and the Markdown's text.
        assertThat(html.split(Pattern.quote(answer), -1).length - 1).isGreaterThanOrEqualTo(3);
        assertThat(html).contains("<td>" + String.format(Locale.ROOT, "%,d", json.path("servers").path(servers.get(0))
                .path("rounds").get(0).path("steps").get(0).path("rate_per_second").asInt()) + "</td>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"engines", "c10k-vs-reference", "knee"})
    void aPageFetchesNothing(String kind) throws IOException {
        String html = page(kind);

        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=\\s*['\"]?(https?:)?//").doesNotContain("@import")
                .doesNotContainPattern("url\\((?!#)").doesNotContain("<script");
    }

    @ParameterizedTest
    @ValueSource(strings = {"engines", "c10k-vs-reference", "knee"})
    void aPageTakesItsTitleAndItsFactsFromTheResults(String kind) throws IOException {
        String html = page(kind);
        String title = Files.readString(RESULTS.resolve(kind + ".md")).lines().findFirst().orElseThrow().substring(2);

        assertThat(html).contains("<h1>" + title.replace("&", "&amp;") + "</h1>")
                .contains("<b>run</b> " + json(kind).path("started").asText())
                .contains("bench/" + (kind.equals("engines") ? "compare-engines" : kind) + ".sh");
    }

    private String page(String kind) throws IOException {
        Path html = out.resolve(kind + ".html");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"page", kind, RESULTS.resolve(kind + ".json").toString(),
            RESULTS.resolve(kind + ".md").toString(), html.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return Files.readString(html);
    }

    private static JsonNode json(String kind) throws IOException {
        return new ObjectMapper().readTree(RESULTS.resolve(kind + ".json").toFile());
    }

    /** The series a figure of the page names, or an empty list when there is no such figure. */
    static List<String> series(String html, String id) {
        Matcher m = Pattern.compile("<figure class=\"chart\" id=\"" + Pattern.quote(id) + "\" data-series=\"([^\"]*)\"")
                .matcher(html);
        return m.find() ? List.of(m.group(1).split("\\|")) : List.of();
    }
}
