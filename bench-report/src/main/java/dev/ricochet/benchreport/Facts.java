package dev.ricochet.benchreport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The facts of a run for a page's header, in order; a fact the results do not hold is left out, not shown as "null". */
final class Facts {

    private final Map<String, String> facts = new LinkedHashMap<>();

    Facts put(String name, String value) {
        if (value != null && !value.isBlank()) {
            facts.put(name, value);
        }
        return this;
    }

    /** "0.55 1.56 2.23 before, 2.89 5.49 4.66 after", from the results' {@code load_before} and {@code load_after}. */
    Facts loadAverage(JsonNode root) {
        String before = text(root, "load_before");
        String after = text(root, "load_after");
        if (!before.isEmpty() || !after.isEmpty()) {
            put("load average", (before.isEmpty() ? "?" : before) + " before, " + (after.isEmpty() ? "?" : after) + " after");
        }
        return this;
    }

    /** "START to END", or START alone. */
    Facts run(JsonNode root) {
        String started = text(root, "started");
        String finished = text(root, "finished");
        return put("run", finished.isEmpty() ? started : started + " to " + finished);
    }

    /** "2 cores, openjdk version ..., kernel 6.1": what the results hold of the machine. */
    Facts machine(String cores, String java, String kernel) {
        List<String> parts = new ArrayList<>();
        if (!cores.isEmpty()) {
            parts.add(cores + " cores");
        }
        if (!java.isEmpty()) {
            parts.add(java);
        }
        if (!kernel.isEmpty()) {
            parts.add("kernel " + kernel);
        }
        return put("machine", String.join(", ", parts));
    }

    Map<String, String> asMap() {
        return facts;
    }

    /** The text of a field, empty when it is missing or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }

    /** A whole number with thousands separators, the same in every locale: 38,750. */
    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }
}
