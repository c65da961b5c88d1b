package dev.ricochet.benchreport.headline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/** How the headline table writes a figure: the same way in every row, whatever file it comes from. */
final class Figures {

    /** Shown for a figure the results do not hold (a server the script did not run). */
    static final String NOT_RUN = "not run";

    private Figures() {
    }

    /** {@code 67,860}: a count or a rate, whole, with thousands separated. */
    static String whole(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** {@code 13.1}: microseconds of CPU, kibibytes: one decimal. */
    static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** {@code 8.32}: milliseconds of latency: two decimals. */
    static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** {@code 1 KiB} for 1024 bytes, {@code 64 B} below a KiB: a message size as the options give it. */
    static String bytes(long value) {
        return value >= 1024 && value % 1024 == 0 ? value / 1024 + " KiB" : value + " B";
    }

    /**
     * The median, as the bench scripts' Python ({@code statistics.median}) takes it: the mean of the
     * two middle values of an even count.
     *
     * @throws IllegalArgumentException when there is no value
     */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no value to take the median of");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The first of {@code /proc/loadavg}'s three figures that the scripts record: the last minute's. */
    static String loadOf(JsonNode root) {
        String load = root.path("load_before").asText("").trim();
        return load.isEmpty() ? "?" : load.split("\\s+")[0];
    }

    /** A number the JSON holds as a number or as a string ({@code "10000"}, as the shell passed it). */
    static double number(JsonNode node, String what) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText());
            } catch (NumberFormatException e) {
                // reported below, with the field's name
            }
        }
        throw new IllegalArgumentException(what + ": " + (node.isMissingNode() ? "missing" : node) + " (expected: a number)");
    }
}
