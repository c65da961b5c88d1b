package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.loadgen.oracle.EchoFrames;
import dev.ricochet.loadgen.oracle.Primality;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OracleTest {

    @Test
    void primalityAgreesWithTheJdkOnSmallNumbersAndKnowsTheHardCases() {
        for (long n = 0; n < 20_000; n++) {
            assertThat(Primality.isPrime(n)).as("n = %d", n).isEqualTo(BigInteger.valueOf(n).isProbablePrime(50));
        }
        assertThat(Primality.isPrime((1L << 61) - 1)).isTrue();
        assertThat(Primality.isPrime(Long.MAX_VALUE - 24)).isTrue();
        assertThat(Primality.isPrime(3_825_123_056_546_413_051L)).isFalse(); // strong pseudoprime to bases 2..23
        assertThat(Primality.isPrime(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void echoFramesAvoidTheFrameEndAndAnswerEachPayloadByte() {
        byte[] frame = EchoFrames.frame(30, 24);
        String text = new String(frame, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("^yz").endsWith("$").doesNotContain("$^", "$$");
        assertThat(text.substring(1, text.length() - 1)).doesNotContain("$");
        assertThat(new String(EchoFrames.expectedReply(frame), StandardCharsets.US_ASCII)).startsWith("z{b");
    }
}
