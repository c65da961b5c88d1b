package dev.ricochet.benchreport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MarkdownResultsTest {

    @Test
    void theFirstHeadingIsTheTitleAndTheRestTheBody() {
        MarkdownResults results = MarkdownResults.of("# Concurrency models compared\n\nWhen.\n\n## Echo\n\n| a |\n|---|\n");

        assertThat(results.title()).isEqualTo("Concurrency models compared");
        assertThat(results.body()).isEqualTo("\nWhen.\n\n## Echo\n\n| a |\n|---|\n");
    }

    @Test
    void withoutATitleTheWholeFileIsTheBody() {
        assertThat(MarkdownResults.of("When.\n")).isEqualTo(new MarkdownResults("", "When.\n"));
    }

    @Test
    void leavesOutTheImagesThePageDrawsAndTheHeadingLeftEmpty() {
        MarkdownResults results = MarkdownResults.of("""
                # T

                ## Echo

                | a |
                |---|

                ## Charts

                ![engines-p99.png](engines-p99.png)

                ![engines-rss.png](engines-rss.png)
                """).withoutImages(Set.of("engines-p99.png", "engines-rss.png"));

        assertThat(results.body()).isEqualTo("## Echo\n\n| a |\n|---|\n");
    }

    @Test
    void keepsOtherImagesAndTheirHeading() {
        MarkdownResults results = MarkdownResults.of("## Charts\n\n![engines-p99.png](engines-p99.png)\n\n![x](x.png)\n")
                .withoutImages(Set.of("engines-p99.png"));

        assertThat(results.body()).isEqualTo("## Charts\n\n\n![x](x.png)\n");
    }

    @Test
    void keepsAHeadingWhoseSubsectionHasText() {
        MarkdownResults results = MarkdownResults.of("## Charts\n\n### More\n\nText.\n").withoutImages(Set.of("a.png"));

        assertThat(results.body()).isEqualTo("## Charts\n\n### More\n\nText.\n");
    }
}
