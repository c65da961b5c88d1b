package dev.ricochet.server.config;

import dev.ricochet.server.logging.LogFormat;
import java.util.List;
import java.util.Objects;

/**
 * How the server writes its logs. (The level is Log4j's own business: {@code RICOCHET_LOG_LEVEL},
 * read by {@code log4j2.xml}.)
 *
 * @param format the layout of each line ({@code --log-format})
 */
public record LoggingSettings(LogFormat format) {

    static final ServerOption<LogFormat> FORMAT = ServerOption.choice("--log-format", "FORMAT", LogFormat.class,
            LogFormat::cliName, "text",
            "text (one readable line per event) or json (one JSON object per line, ECS field names: @timestamp,"
                    + " log.level, log.logger, message, process.thread.name, error.*), for a log collector.");
    static final List<ServerOption<?>> OPTIONS = List.of(FORMAT);

    public LoggingSettings {
        Objects.requireNonNull(format, "format");
    }

    static LoggingSettings from(OptionValues options) {
        return new LoggingSettings(options.value(FORMAT));
    }
}
