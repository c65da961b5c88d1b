package dev.ricochet.reporthtml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownLinkBaseTest {

    private static final String MARKDOWN = "[engines](engines.md) ![p99](engines-p99.png) [docs](/docs/b.md) "
            + "[site](https://example.org/a) [mail](mailto:a@example.org) [here](#top)\n";

    @Test
    void relativeLinksAndImagesArePrefixedWithTheBase() {
        String html = new HtmlPage("t").markdown(MARKDOWN, "../results/").render();

        assertThat(html).contains("href=\"../results/engines.md\"", "src=\"../results/engines-p99.png\"");
    }

    @Test
    void linksWithASchemeFromTheRootOrToAnAnchorAreKept() {
        String html = new HtmlPage("t").markdown(MARKDOWN, "../results/").render();

        assertThat(html).contains("href=\"/docs/b.md\"", "href=\"https://example.org/a\"",
                "href=\"mailto:a@example.org\"", "href=\"#top\"");
    }

    @Test
    void withoutABaseLinksAreAsWritten() {
        assertThat(new HtmlPage("t").markdown(MARKDOWN).render()).contains("href=\"engines.md\"",
                "src=\"engines-p99.png\"");
    }
}
