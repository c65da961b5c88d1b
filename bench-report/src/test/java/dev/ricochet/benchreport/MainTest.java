package dev.ricochet.benchreport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void theHeadlineCommandIsChosenByItsFirstArgument() {
        assertThat(run("headline")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("headline RESULTS-DIR README.md")
                .doesNotContain("ENGINES.json");
    }

    @Test
    void theChartsKeepTheirTwoArgumentUsage() {
        assertThat(run("only-one")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ENGINES.json OUTPUT-DIR");
    }

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
