package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {

    /** Leak detection is off unless a level is asked, in Netty's current or older spelling. */
    @ParameterizedTest
    @CsvSource({"unrelated.property, false", "io.netty.leakDetection.level, true", "io.netty.leakDetectionLevel, true"})
    void keepsLeakDetectionOnlyWhenALevelIsAsked(String property, boolean asked) {
        Properties system = new Properties();
        system.setProperty(property, "simple");
        assertThat(Main.leakDetectionAsked(system)).isEqualTo(asked);
    }
}
