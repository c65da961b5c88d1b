package dev.ricochet.server.logging;

import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * How each log event is written to standard output ({@code --log-format}): the layout of
 * {@code log4j2.xml}'s console appender, everything else of the configuration (the async
 * appender, its discarding queue, the levels) the same for both.
 *
 * <p>{@code log4j2.xml} picks the layout with a {@code SystemPropertyArbiter} on
 * {@value #PROPERTY}. Log4j reads its configuration the first time anything logs, and Netty's
 * static loggers start it before the command line is parsed; so {@link #preselect} sets the
 * property from the raw arguments and environment first thing in {@code main}, and
 * {@link #use}, once the options are parsed, only has Log4j read its configuration again when
 * the format differs from the one it started with (a reconfiguration needs {@code java.beans},
 * which the container's runtime leaves out).
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
    /**
     * The system property that makes a JVM a worker of a master ({@code --processes}), its value
     * the worker's index: each of its lines then carries the index ({@code worker-0} in text,
     * {@code "ricochet.worker":0} in JSON), the layout named with {@value #WORKER_SUFFIX} appended.
     */
    public static final String WORKER_PROPERTY = "ricochet.worker";
    private static final String WORKER_SUFFIX = "-worker";
    private static final String OPTION = "--log-format";
    private static final String ENVIRONMENT_VARIABLE = "RICOCHET_LOG_FORMAT";

    private final String cliName;

    LogFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name {@code --log-format} takes. */
    public String cliName() {
        return cliName;
    }

    /**
     * Sets the format that {@code --log-format} or {@code RICOCHET_LOG_FORMAT} names before
     * anything logs, text when neither names a known one (a bad value is refused when the
     * options are parsed, with a plain line). The parsed options' {@link #use} then agrees.
     *
     * @param args        the command line as {@code main} gets it
     * @param environment the process's environment
     */
    public static void preselect(String[] args, Map<String, String> environment) {
        String named = environment.get(ENVIRONMENT_VARIABLE);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                named = args[i + 1];
            } else if (args[i].startsWith(OPTION + "=")) {
                named = args[i].substring(OPTION.length() + 1);
            }
        }
        LogFormat format = TEXT;
        for (LogFormat candidate : values()) {
            if (candidate.cliName.equals(named)) {
                format = candidate;
            }
        }
        System.setProperty(PROPERTY, format.layout());
    }

    /** The layout's name in {@code log4j2.xml}: the format's, a worker's own when this JVM is one. */
    private String layout() {
        return System.getProperty(WORKER_PROPERTY) == null ? cliName : cliName + WORKER_SUFFIX;
    }

    /**
     * Writes every later event in this format. Call it once, before the first line worth
     * keeping: events still queued in the async appender are written out, in the previous
     * format, before the new one takes over.
     */
    public void use() {
        String layout = layout();
        String before = System.setProperty(PROPERTY, layout);
        // Log4j started with the arbiter on the property as it was: a reconfiguration, which
        // evaluates it again, is needed only when the format changes (in tests that run the
        // server in-process), once per process.
        if (!layout.equals(before) && LogManager.getContext(false) instanceof LoggerContext context) {
            context.reconfigure();
        }
    }
}
