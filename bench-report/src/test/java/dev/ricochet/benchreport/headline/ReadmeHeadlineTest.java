package dev.ricochet.benchreport.headline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's headline table is written from the committed results, never by hand: a results
 * file rewritten without the table (or a table edited by hand) fails the build, so that the
 * README cannot show a figure the results do not hold.
 */
class ReadmeHeadlineTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theReadmeHeadlineTableIsTheOneTheCommittedResultsGive() throws IOException {
        Path readme = ROOT.resolve("README.md");
        Path results = ROOT.resolve("bench/results");

        assertThat(MarkedSection.between(Files.readString(readme)))
                .as("README.md's headline table against bench/results/*.json; to rewrite it: "
                        + "java -jar bench-report/target/ricochet-bench-report.jar headline bench/results README.md")
                .isEqualTo(HeadlineCommand.table(results, readme));
    }
}
