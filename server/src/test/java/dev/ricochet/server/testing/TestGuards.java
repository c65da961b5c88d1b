package dev.ricochet.server.testing;

import dev.ricochet.server.connection.ConnectionGuards;
import dev.ricochet.server.connection.ConnectionLimiter;
import dev.ricochet.server.connection.Drain;
import dev.ricochet.server.metrics.ServerMetrics;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;

/** Connection guards for pipelines under test: no limit, no idle timeout, no metrics. */
public final class TestGuards {

    private TestGuards() {
    }

    public static ConnectionGuards unlimited() {
        return new ConnectionGuards(new Drain(new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE)),
                ServerMetrics.disabled().echo(), new ConnectionLimiter(0), Duration.ZERO);
    }
}
