package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {

    @Test
    void turnsLeakDetectionOffWhenNoLevelIsAsked() {
        assertThat(Main.leakDetectionAsked(new Properties())).isFalse();
    }

    @Test
    void keepsTheLeakDetectionLevelAskedWithEitherSpelling() {
        Properties current = new Properties();
        current.setProperty("io.netty.leakDetection.level", "simple");
        Properties older = new Properties();
        older.setProperty("io.netty.leakDetectionLevel", "advanced");

        assertThat(Main.leakDetectionAsked(current)).isTrue();
        assertThat(Main.leakDetectionAsked(older)).isTrue();
    }

    /** A master of no workers, or of more than any machine runs, is bad usage, told in one line. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--processes 0   | --processes: 0 (expected: 1..256)",
            "--processes 300 | --processes: 300 (expected: 1..256)"})
    void exitsTwoForANumberOfProcessesOutOfRange(String args, String reason) {
        StringWriter err = new StringWriter();
        int code = Main.run(args.trim().split(" +"), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).startsWith("ricochet server: ").contains(reason).hasLineCount(1);
    }

    /** Every TLS problem found before anything listens is bad usage, told in one line. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--tls-cert /no/such/cert.pem --tls-key /no/such/key.pem | --tls-cert: /no/such/cert.pem does not exist",
            "--tls-cert /no/such/cert.pem                           | --tls-cert: /no/such/cert.pem (expected: with --tls-key",
            "--engine thread-pool --tls-cert c.pem --tls-key k.pem  | --tls-cert: c.pem does not exist",
            "--engine sequential --tls-provider openssl             | --tls-provider: openssl does not apply to --engine sequential"})
    void exitsTwoWithTheReasonForABadTlsSetup(String args, String reason) {
        StringWriter err = new StringWriter();
        int code = Main.run(args.trim().split(" +"), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).startsWith("ricochet server: ").contains(reason).hasLineCount(1);
    }
}
