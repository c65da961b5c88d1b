package dev.ricochet.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as a whole number with a unit ({@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h}, any case) or in ISO-8601 ({@code PT30S}). A bare number is refused: its unit
 * would be a guess. Negative durations and amounts no duration can hold are refused too.
 * Both command lines read durations with it, so that they accept the same text.
 */
public final class DurationText implements ITypeConverter<Duration> {

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)(us|ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        String text = value.trim();
        Matcher m = WITH_UNIT.matcher(text.toLowerCase(Locale.ROOT));
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            if (text.toLowerCase(Locale.ROOT).startsWith("p")) {
                Duration d = Duration.parse(text);
                if (!d.isNegative()) {
                    return d;
                }
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            // Too many digits for a long or a duration, or not ISO-8601: reported below.
        }
        throw new TypeConversionException(
                "'" + value + "' (expected: a non-negative duration such as 500ms, 30s, 2m, 1h or PT30S)");
    }
}
