package dev.ricochet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The tests must not see the {@code RICOCHET_*} variables of the shell that runs them (a
 * developer's {@code RICOCHET_ENGINE=thread-pool} would change every server they start): the
 * server module's surefire configuration removes each option's variable, and this keeps that
 * list whole as options are added.
 */
class TestEnvironmentIsolationTest {

    private static final Path POM = Path.of("pom.xml");
    private static final Pattern EXCLUDED = Pattern.compile("<variable>(RICOCHET_[A-Z_]+)</variable>");

    @Test
    void surefireRemovesEveryOptionsEnvironmentVariableFromTheTests() throws IOException {
        Set<String> excluded = new HashSet<>();
        Matcher variable = EXCLUDED.matcher(Files.readString(POM));
        while (variable.find()) {
            excluded.add(variable.group(1));
        }
        assertThat(excluded).containsAll(ServerConfig.OPTIONS.stream().map(ServerOption::environmentVariable).toList());
    }
}
