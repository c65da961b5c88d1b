package dev.ricochet.benchreport.headline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkedSectionTest {

    private static final String README = """
            # Title
            text before
            <!-- headline:begin -->
            | old | table |
            <!-- headline:end -->
            text after
            """;

    @Test
    void rewritesOnlyTheLinesBetweenTheMarkers() {
        String rewritten = MarkedSection.replace(README, "| new | table |\n");

        assertThat(rewritten).isEqualTo("""
                # Title
                text before
                <!-- headline:begin -->
                | new | table |
                <!-- headline:end -->
                text after
                """);
        assertThat(MarkedSection.between(rewritten)).isEqualTo("| new | table |\n");
    }

    @Test
    void endsTheContentWithANewlineSoTheEndMarkerKeepsItsLine() {
        assertThat(MarkedSection.replace(README, "| new |")).contains("| new |\n<!-- headline:end -->\n");
    }

    @Test
    void aMarkerQuotedInsideALineIsNoMarker() {
        String quoted = "the table lies between `<!-- headline:begin -->` and `<!-- headline:end -->`\n" + README;

        assertThat(MarkedSection.between(quoted)).isEqualTo("| old | table |\n");
    }

    @Test
    void refusesATextWithoutItsEndMarker() {
        assertThatThrownBy(() -> MarkedSection.replace(README.replace("<!-- headline:end -->\n", ""), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no <!-- headline:end --> line");
    }

    @Test
    void refusesASecondPairOfMarkers() {
        assertThatThrownBy(() -> MarkedSection.between(README + README))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one");
    }

    @Test
    void refusesMarkersInTheWrongOrder() {
        String swapped = "<!-- headline:end -->\nx\n<!-- headline:begin -->\n";

        assertThatThrownBy(() -> MarkedSection.between(swapped))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("comes before");
    }
}
