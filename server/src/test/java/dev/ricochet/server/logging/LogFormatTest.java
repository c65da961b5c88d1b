package dev.ricochet.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The format chosen from the raw command line and environment, before Log4j starts. */
class LogFormatTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(LogFormat.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(LogFormat.PROPERTY);
        } else {
            System.setProperty(LogFormat.PROPERTY, saved);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "                                  |      | text",
            "--log-format json                 |      | json",
            "--log-format=json                 |      | json",
            "--echo-port 0 --log-format json   | text | json",
            "                                  | json | json",
            "--log-format xml                  | json | text",
            "--log-format                      |      | text"})
    void preselectsTheFormatTheOptionsWillNameTextOtherwise(String args, String environment, String expected) {
        String[] argv = args == null ? new String[0] : args.trim().split(" +");
        LogFormat.preselect(argv, environment == null ? Map.of() : Map.of("RICOCHET_LOG_FORMAT", environment));
        assertThat(System.getProperty(LogFormat.PROPERTY)).isEqualTo(expected);
    }
}
