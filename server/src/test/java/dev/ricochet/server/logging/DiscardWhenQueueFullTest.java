package dev.ricochet.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.AsyncAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** The production setting (log4j2.component.properties) with a real async appender whose console is stuck. */
class DiscardWhenQueueFullTest {

    @Test
    void dropsAndCountsEventsInsteadOfBlockingWhenTheAsyncQueueIsFull() throws Exception {
        CountDownLatch consoleStuck = new CountDownLatch(1);
        AbstractAppender stuck = new AbstractAppender("stuck", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                try {
                    consoleStuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        stuck.start();
        DefaultConfiguration config = new DefaultConfiguration();
        config.addAppender(stuck);
        AsyncAppender async = AsyncAppender.newBuilder().setName("async").setBufferSize(4)
                .setAppenderRefs(new AppenderRef[] {AppenderRef.createAppenderRef("stuck", null, null)})
                .setConfiguration(config).build();
        async.start();
        long before = DiscardWhenQueueFull.discarded();
        try {
            // With Log4j's default policy the fifth or sixth of these would wait forever: the
            // burst runs in its own thread so that a block fails the test instead of hanging it.
            CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 1000; i++) {
                    async.append(Log4jLogEvent.newBuilder().setLevel(Level.DEBUG)
                            .setMessage(new SimpleMessage("burst " + i)).build());
                }
            });
            assertThat(burst).as("the logging thread never waits").succeedsWithin(Duration.ofSeconds(30));
            assertThat(DiscardWhenQueueFull.discarded() - before).isBetween(1000L - 4 - 1, 1000L);
        } finally {
            consoleStuck.countDown();
            async.stop();
            stuck.stop();
        }
    }
}
