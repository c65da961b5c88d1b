package dev.ricochet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The "Server options" table of docs/server.md is the options' documentation: it lists each option,
 * with its value label and environment variable, as the options themselves state them, so
 * that a new option cannot ship undocumented and a removed one cannot stay documented.
 */
class OptionsDocumentationTest {

    private static final Path SERVER_DOC = Path.of("..", "docs", "server.md");
    /** A row of the table: {@code | `--echo-port PORT` | `RICOCHET_ECHO_PORT` | ...}. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `(--[a-z-]+ [A-Z]+)` \\| `(RICOCHET_[A-Z_]+)` \\|");

    @Test
    void theServerDocListsEveryOptionWithItsEnvironmentVariableAndNothingElse() throws IOException {
        Set<String> documented = new LinkedHashSet<>();
        Matcher row = ROW.matcher(Files.readString(SERVER_DOC));
        while (row.find()) {
            documented.add(row.group(1) + " " + row.group(2));
        }
        Set<String> options = new LinkedHashSet<>();
        for (ServerOption<?> option : ServerConfig.OPTIONS) {
            options.add(option.name() + " " + option.label() + " " + option.environmentVariable());
        }
        assertThat(documented).containsExactlyElementsOf(options);
    }
}
