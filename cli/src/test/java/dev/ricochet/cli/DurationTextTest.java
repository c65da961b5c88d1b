package dev.ricochet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationTextTest {

    private final DurationText text = new DurationText();

    @ParameterizedTest
    @CsvSource({"250us, PT0.00025S", "500ms, PT0.5S", "30s, PT30S", "2m, PT2M", "1h, PT1H", "30S, PT30S", "2M, PT2M", " 5s , PT5S",
            "PT30S, PT30S", "pt1m, PT1M", "0s, PT0S", "1234567890s, PT342935H31M30S"})
    void readsANumberWithAUnitInAnyCaseOrIso8601(String input, String iso) {
        assertThat(text.convert(input)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "", "s", "-1s", "1.5s", "PT-1S", "1d", "99999999999999999999s",
            "9223372036854775807h", "9223372036854775807us", "later"})
    void refusesWhatIsNotANonNegativeDurationWithAUnit(String input) {
        assertThatThrownBy(() -> text.convert(input))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + input + "' (expected: a non-negative duration such as 500ms, 30s, 2m, 1h or PT30S)");
    }
}
