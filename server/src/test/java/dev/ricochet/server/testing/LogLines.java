package dev.ricochet.server.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * The messages the server logs while it is open, captured from the test logging configuration
 * (log4j2-test.xml: {@code dev.ricochet} at DEBUG), for tests of what a log line says.
 */
public final class LogLines implements AutoCloseable {

    private static final String LOGGERS = "dev.ricochet";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);

    private LogLines() {
        appender = new AbstractAppender("captured-" + System.identityHashCode(this), null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        loggers().addAppender(appender, Level.DEBUG, null);
        context.updateLoggers();
    }

    /** Starts capturing the {@code dev.ricochet} loggers' messages, each as {@code LEVEL message}. */
    public static LogLines capture() {
        return new LogLines();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    private LoggerConfig loggers() {
        return context.getConfiguration().getLoggerConfig(LOGGERS);
    }

    @Override
    public void close() {
        loggers().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
