package dev.ricochet.loadgen.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.report.HistogramText;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The fields of one JSON object of a report, each required unless said otherwise: a missing or
 * malformed one is named, with where it is, in the message of an
 * {@link IllegalArgumentException} (a merge refuses such a report, exit 2).
 *
 * @param where the report and the object's place in it, for messages
 * @param node  the object
 */
record JsonFields(String where, JsonNode node) {

    JsonNode node(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw new IllegalArgumentException(where + ": no '" + name + "' (written by an older load generator,"
                    + " or not a load generator's report)");
        }
        return value;
    }

    JsonFields object(String name) {
        JsonNode value = node(name);
        if (!value.isObject()) {
            throw new IllegalArgumentException(where + ": '" + name + "' is not an object");
        }
        return new JsonFields(where + " " + name, value);
    }

    long number(String name) {
        JsonNode value = node(name);
        if (!value.canConvertToLong()) {
            throw new IllegalArgumentException(where + ": '" + name + "' is not a whole number: " + value);
        }
        return value.asLong();
    }

    long numberOrZero(String name) {
        return node(name).isNull() ? 0 : number(name);
    }

    int integer(String name) {
        return Math.toIntExact(number(name));
    }

    double decimal(String name) {
        JsonNode value = node(name);
        if (!value.isNumber()) {
            throw new IllegalArgumentException(where + ": '" + name + "' is not a number: " + value);
        }
        return value.asDouble();
    }

    String text(String name) {
        return node(name).asText();
    }

    /** Null when the field is absent or null (an option not given). */
    String textOrNull(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    List<String> texts(String name) {
        List<String> texts = new ArrayList<>();
        node(name).forEach(value -> texts.add(value.asText()));
        return texts;
    }

    /**
     * Counts by kind, every kind present (0 when the report has none of it).
     *
     * @param name the object holding them; null for this object itself
     */
    <K extends Enum<K>> Map<K, Long> kinds(String name, Class<K> kind) {
        JsonFields counts = name == null ? this : object(name);
        Map<K, Long> byKind = new EnumMap<>(kind);
        for (K k : kind.getEnumConstants()) {
            String key = k.name().toLowerCase(Locale.ROOT);
            byKind.put(k, counts.node.has(key) ? counts.number(key) : 0L);
        }
        return byKind;
    }

    Histogram histogram(String name) {
        try {
            return HistogramText.decode(node(name).asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + name + "' is " + e.getMessage(), e);
        }
    }

    void addHistogram(String name, Histogram sum) {
        try {
            HistogramText.addTo(sum, node(name).asText());
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(where + ": '" + name + "' is " + e.getMessage(), e);
        }
    }

    /** {@code name}'s value, when it is not what {@code expected} says. */
    IllegalArgumentException invalid(String name, String expected) {
        return new IllegalArgumentException(where + ": '" + name + "' is " + node.get(name) + " (expected: " + expected + ")");
    }

    Duration duration(String name) {
        try {
            return Duration.parse(text(name));
        } catch (DateTimeParseException e) {
            throw invalid(name, "an ISO-8601 duration");
        }
    }

    /** Null when the field is absent or null (an option not given). */
    Instant instantOrNull(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw invalid(name, "an ISO-8601 instant");
        }
    }
}
