package dev.ricochet.server.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    private static final Duration SOON = Duration.ofMillis(300);

    @Test
    void doublesFromAHundredMillisecondsWhileTheWorkerKeepsDyingSoonAfterItsStart() {
        RestartBackoff backoff = new RestartBackoff();
        assertThat(backoff.after(SOON)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.after(SOON)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.after(SOON)).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void neverWaitsMoreThanTenSeconds() {
        RestartBackoff backoff = new RestartBackoff();
        Duration last = Duration.ZERO;
        for (int i = 0; i < 20; i++) {
            last = backoff.after(SOON);
        }
        assertThat(last).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void startsAgainFromAHundredMillisecondsAfterAWorkerThatStayedUp() {
        RestartBackoff backoff = new RestartBackoff();
        for (int i = 0; i < 5; i++) {
            backoff.after(SOON);
        }
        assertThat(backoff.after(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.after(SOON)).isEqualTo(Duration.ofMillis(200));
    }
}
