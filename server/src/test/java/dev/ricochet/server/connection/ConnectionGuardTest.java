package dev.ricochet.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.metrics.ConnectionMetrics;
import dev.ricochet.server.metrics.ServerMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ConnectionGuardTest {

    private static EmbeddedChannel accept(ConnectionLimiter limiter) {
        ConnectionMetrics metrics = ServerMetrics.disabled().echo();
        return new EmbeddedChannel(new ConnectionGuard(metrics, limiter, new BackPressure(metrics)));
    }

    @Test
    void closesAConnectionBeyondTheLimitAsSoonAsItIsActive() {
        ConnectionLimiter limiter = new ConnectionLimiter(1);
        EmbeddedChannel admitted = accept(limiter);
        EmbeddedChannel refused = accept(limiter);

        assertThat(admitted.isOpen()).isTrue();
        assertThat(refused.isOpen()).isFalse();
        admitted.finishAndReleaseAll();
    }

    @Test
    void givesTheLimitsPlaceBackWhenAnAdmittedConnectionCloses() {
        ConnectionLimiter limiter = new ConnectionLimiter(1);
        accept(limiter).close();

        EmbeddedChannel next = accept(limiter);

        assertThat(next.isOpen()).isTrue();
        next.finishAndReleaseAll();
    }

    @Test
    void aRefusedConnectionGivesBackNoPlaceItNeverTook() {
        ConnectionLimiter limiter = new ConnectionLimiter(1);
        EmbeddedChannel admitted = accept(limiter);
        accept(limiter); // refused, and closed

        assertThat(accept(limiter).isOpen()).as("still one connection open: the limit").isFalse();
        admitted.finishAndReleaseAll();
    }

    @Test
    void admitsEveryConnectionWithoutALimit() {
        ConnectionLimiter unlimited = new ConnectionLimiter(0);
        EmbeddedChannel first = accept(unlimited);
        EmbeddedChannel second = accept(unlimited);

        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }
}
