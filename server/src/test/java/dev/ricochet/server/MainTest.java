package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

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
}
