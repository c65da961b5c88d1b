package dev.ricochet.benchreport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCommandTest {

    private static final Path RESULTS = Path.of("..", "bench", "results");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void anUnknownKindIsBadUsageNamingTheKinds() {
        int code = run("page", "tls", json("engines"), md("engines"), dir.resolve("p.html").toString());

        assertThat(code).isEqualTo(2);
        assertThat(errorLines()).containsExactly(
                "ricochet-bench-report page: unknown kind 'tls' (expected: engines, c10k-vs-reference, knee)");
        assertThat(dir.resolve("p.html")).doesNotExist();
    }

    @Test
    void aMissingArgumentIsBadUsage() {
        assertThat(run("page", "knee", json("knee"), md("knee"))).isEqualTo(2);
        assertThat(errorLines()).singleElement().asString().startsWith("usage: ricochet-bench-report page KIND");
    }

    @Test
    void aMissingResultsFileFailsInOneLine() {
        Path missing = dir.resolve("knee.json");

        assertThat(run("page", "knee", missing.toString(), md("knee"), dir.resolve("p.html").toString())).isEqualTo(1);
        assertThat(errorLines()).containsExactly("ricochet-bench-report page: no such file: " + missing);
    }

    @Test
    void resultsOfAnotherKindFailInOneLine() {
        assertThat(run("page", "knee", json("engines"), md("engines"), dir.resolve("p.html").toString())).isEqualTo(1);
        assertThat(errorLines()).singleElement().asString().contains("not a knee report");
    }

    @Test
    void aResultsFileThatIsNotJsonFailsInOneLine() throws IOException {
        Path broken = Files.writeString(dir.resolve("engines.json"), "{\"engines\": [\n");

        assertThat(run("page", "engines", broken.toString(), md("engines"), dir.resolve("p.html").toString())).isEqualTo(1);
        assertThat(errorLines()).singleElement().asString()
                .startsWith("ricochet-bench-report page: " + broken + ": not JSON at line 2, column 1: ")
                .doesNotContain("Source");
    }

    @Test
    void noArgumentsIsBadUsageInOneLine() {
        assertThat(run()).isEqualTo(2);
        assertThat(errorLines()).singleElement().asString()
                .isEqualTo("usage: ricochet-bench-report ENGINES.json OUTPUT-DIR | page KIND RESULTS.json RESULTS.md "
                        + "OUT.html (KIND: engines, c10k-vs-reference, knee) | headline RESULTS-DIR README.md");
    }

    @Test
    void printsThePageWritten() {
        Path page = dir.resolve("engines.html");

        assertThat(run("page", "engines", json("engines"), md("engines"), page.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo(page.toString());
        assertThat(page).isNotEmptyFile();
    }

    @Test
    void theChartsCommandStillWritesThePngs() throws URISyntaxException {
        String fixture = Path.of(PageCommandTest.class.getResource("/engines-fixture.json").toURI()).toString();

        assertThat(run(fixture, dir.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(6)
                .allSatisfy(line -> assertThat(Path.of(line)).isNotEmptyFile());
    }

    @Test
    void relativeLinksLeadWhereTheMarkdownMeantFromWhereThePageLies() throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        Files.writeString(results.resolve("knee.md"), "# Knee\n\n[the engines](engines.md), [docs](../docs/b.md), "
                + "[a site](https://example.org/), [here](#results)\n");
        Files.copy(RESULTS.resolve("knee.json"), results.resolve("knee.json"));

        assertThat(run("page", "knee", results.resolve("knee.json").toString(), results.resolve("knee.md").toString(),
                results.resolve("knee.html").toString())).isZero();
        assertThat(Files.readString(results.resolve("knee.html")))
                .contains("href=\"engines.md\"", "href=\"../docs/b.md\"", "href=\"#results\"");

        Path elsewhere = Files.createDirectories(dir.resolve("pages"));
        assertThat(run("page", "knee", results.resolve("knee.json").toString(), results.resolve("knee.md").toString(),
                elsewhere.resolve("knee.html").toString())).isZero();
        assertThat(Files.readString(elsewhere.resolve("knee.html"))).contains("href=\"../results/engines.md\"",
                "href=\"../results/../docs/b.md\"", "href=\"https://example.org/\"", "href=\"#results\"");
    }

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private java.util.List<String> errorLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static String json(String kind) {
        return RESULTS.resolve(kind + ".json").toString();
    }

    private static String md(String kind) {
        return RESULTS.resolve(kind + ".md").toString();
    }
}
