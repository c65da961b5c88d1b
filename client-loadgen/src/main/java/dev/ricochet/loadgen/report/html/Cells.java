package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * How the page writes the JSON report's figures, one rule per kind of figure, so that a figure
 * reads the same in every table and a reader of the page (or a test) can find the JSON's value
 * in it: milliseconds to the microsecond, as the text report writes them; counts whole, with
 * thousands separated; rates to a tenth.
 */
final class Cells {

    /** What a figure the report does not have reads as. */
    static final String NONE = "-";

    private Cells() {
    }

    /** Milliseconds, three decimals: {@code 0.229}; {@link #NONE} for a missing figure. */
    static String millis(JsonNode value) {
        return present(value) ? millis(value.asDouble()) : NONE;
    }

    static String millis(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A count: {@code 13,975}. */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String count(JsonNode value) {
        return present(value) ? count(value.asLong()) : NONE;
    }

    /** A rate, per second: {@code 1,995.0}. */
    static String rate(double value) {
        return String.format(Locale.ROOT, "%,.1f", value);
    }

    static String rate(JsonNode value) {
        return present(value) ? rate(value.asDouble()) : NONE;
    }

    /** Seconds, to the millisecond but without trailing zeros: {@code 5.013 s}, {@code 2 s}. */
    static String seconds(double value) {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", "") + " s";
    }

    /** A fraction as the report states it, six decimals: {@code 0.012000}. */
    static String fraction(JsonNode value) {
        return present(value) ? String.format(Locale.ROOT, "%.6f", value.asDouble()) : NONE;
    }

    /** A percentage to a tenth: {@code 99.9%}. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /** Whether the report has this figure: present and not null. */
    static boolean present(JsonNode value) {
        return value != null && !value.isMissingNode() && !value.isNull();
    }
}
