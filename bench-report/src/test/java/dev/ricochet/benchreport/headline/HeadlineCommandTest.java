package dev.ricochet.benchreport.headline;

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

class HeadlineCommandTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void rewritesTheTableWithLinksRelativeToTheFileAndLeavesTheRestAsItWas() throws IOException, URISyntaxException {
        Path readme = readme("intro\n<!-- headline:begin -->\nold\n<!-- headline:end -->\nafter\n");

        assertThat(run(fixtures().toString(), readme.toString())).isEqualTo(0);

        String rewritten = Files.readString(readme);
        assertThat(rewritten).startsWith("intro\n<!-- headline:begin -->\n| measure | Ricochet | reference | measured |\n")
                .endsWith("<!-- headline:end -->\nafter\n")
                .doesNotContain("old")
                .contains("[2026-01-02T03:04Z](bench/results/c10k-vs-reference.md), 2 rounds, load 1.50");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("headline table rewritten");
    }

    @Test
    void saysSoAndWritesNothingWhenTheTableIsAlreadyTheResults() throws IOException, URISyntaxException {
        Path readme = readme("<!-- headline:begin -->\n<!-- headline:end -->\n");
        run(fixtures().toString(), readme.toString());
        String first = Files.readString(readme);
        out.reset();

        assertThat(run(fixtures().toString(), readme.toString())).isEqualTo(0);

        assertThat(Files.readString(readme)).isEqualTo(first);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("already up to date");
    }

    @Test
    void aFileWithoutMarkersIsLeftAloneAndExits1() throws IOException, URISyntaxException {
        Path readme = readme("no markers here\n");

        assertThat(run(fixtures().toString(), readme.toString())).isEqualTo(1);

        assertThat(Files.readString(readme)).isEqualTo("no markers here\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no <!-- headline:begin --> line");
    }

    @Test
    void exits2WithItsUsageOnAWrongNumberOfArguments() {
        assertThat(run("bench/results")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(HeadlineCommand.USAGE);
    }

    /** A README at the root of a copy of the repository's layout: bench/results beside it. */
    private Path readme(String text) throws IOException {
        return Files.writeString(folder.resolve("README.md"), text);
    }

    private Path fixtures() throws IOException, URISyntaxException {
        Path results = Files.createDirectories(folder.resolve("bench/results"));
        for (String name : new String[] {"c10k-vs-reference", "knee", "prime-vs-reference", "tls"}) {
            Path fixture = Path.of(HeadlineCommandTest.class.getResource("/headline/" + name + ".json").toURI());
            Files.copy(fixture, results.resolve(name + ".json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return results;
    }

    private int run(String... args) {
        return HeadlineCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
