package dev.ricochet.server.logging;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * How each log event is written to standard output ({@code --log-format}): the layout of
 * {@code log4j2.xml}'s console appender, everything else of the configuration (the async
 * appender, its discarding queue, the levels) the same for both.
 *
 * <p>{@code log4j2.xml} picks the layout with a {@code SystemPropertyArbiter} on
 * {@value #PROPERTY}, which {@link #use} sets. Log4j reads its configuration the first time
 * anything logs, and Netty's static loggers may already have started it before the command
 * line is parsed, so {@link #use} also has Log4j read its configuration again: every line
 * written after it, the first lifecycle line included, has the chosen layout.
 */
public enum LogFormat {
    /** One human-readable line per event: time, level, thread, logger, message. */
    TEXT("text"),
    /**
     * One JSON object per line with ECS field names ({@code @timestamp}, {@code log.level},
     * {@code log.logger}, {@code process.thread.name}, {@code message}, and {@code error.type},
     * {@code error.message}, {@code error.stack_trace} when the event carries an exception),
     * which Elastic, Loki and OpenTelemetry collectors map without configuration. The template
     * is {@code ricochet-log-event.json}.
     */
    JSON("json");

    /** The system property {@code log4j2.xml} chooses its layout by. */
    public static final String PROPERTY = "ricochet.log.format";

    private final String cliName;

    LogFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name {@code --log-format} takes. */
    public String cliName() {
        return cliName;
    }

    /**
     * Writes every later event in this format. Call it once, before the first line worth
     * keeping: events still queued in the async appender are written out, in the previous
     * format, before the new one takes over.
     */
    public void use() {
        System.setProperty(PROPERTY, cliName);
        // The context already read log4j2.xml (or reads it now, with the property set); a
        // reconfiguration evaluates the arbiter again. Both are cheap: once per process.
        if (LogManager.getContext(false) instanceof LoggerContext context) {
            context.reconfigure();
        }
    }
}
