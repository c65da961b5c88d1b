package dev.ricochet.server.prime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrimeRequestTest {

    private static PrimeRequest parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        return PrimeRequest.parse(bytes, 0, bytes.length);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "97, 97", "0007, 7", "9223372036854775807, 9223372036854775807",
            "1000000000000000000, 1000000000000000000"})
    void readsDecimalNumbersUpToTwoToTheSixtyThreeMinusOne(String line, long value) {
        assertThat(parse(line)).isEqualTo(new PrimeRequest(value, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "9223372036854775808  | OUT_OF_RANGE",
            "99999999999999999999 | OUT_OF_RANGE",
            "00000000000000000001 | OUT_OF_RANGE",
            "-5                   | NOT_A_NUMBER",
            "+5                   | NOT_A_NUMBER",
            "12 34                | NOT_A_NUMBER",
            "0x1F                 | NOT_A_NUMBER",
            "99999999999999999999x| NOT_A_NUMBER"})
    void rejectsWhatIsNotANumberOfAtMostNineteenDigits(String line, PrimeReply expected) {
        assertThat(parse(line).rejection()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(value = {"''"})
    void rejectsAnEmptyLine(String line) {
        assertThat(parse(line).rejection()).isEqualTo(PrimeReply.EMPTY);
    }
}
