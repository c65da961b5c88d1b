package dev.ricochet.benchreport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ricochet.reporthtml.Figure;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KneePageTest {

    @Test
    void theRateByRateModeDrawsTheRateServedAndTheP99AtEachRate() throws IOException, URISyntaxException {
        PageContent page = KneePage.content(new ObjectMapper().readTree(fixture().toFile()), fixture());

        assertThat(page.figures()).extracting(Figure::id).containsExactly("served", "p99-by-rate");
        assertThat(page.figures()).allSatisfy(figure -> assertThat(figure.series()).containsExactly("Ricochet"));
        assertThat(page.title()).isEqualTo("The open-loop knee");
        assertThat(page.facts()).containsEntry("knee", "Ricochet 40,000 requests/s")
                .containsEntry("goal", "corrected p99 < 5 ms on 2,000 connections")
                .containsEntry("command",
                        "CONNECTIONS=2000 P99_MS=5 RATES=\"30000 40000 50000\" SERVER_OPTIONS=\"--transport io_uring\" bench/knee.sh");
    }

    @Test
    void refusesResultsOfAnotherMode() throws IOException, URISyntaxException {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(fixture().toFile());
        root.put("mode", "sweep");

        assertThatThrownBy(() -> KneePage.content(root, fixture())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a knee report");
    }

    private static Path fixture() throws URISyntaxException {
        return Path.of(KneePageTest.class.getResource("/knee-rates-fixture.json").toURI());
    }
}
