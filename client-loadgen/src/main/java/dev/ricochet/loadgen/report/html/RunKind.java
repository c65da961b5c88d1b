package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;

/** The run's load model, as the report's {@code load_model} names it: what its page can draw. */
enum RunKind {
    /** Open loop: latency from the planned send (corrected) and from the actual send. */
    OPEN,
    /** Closed loop: one latency, nothing to correct. */
    CLOSED,
    /** The idle workload: connections held, no requests. */
    IDLE,
    /** Connections opened and closed at a rate: connect times. */
    CHURN;

    static RunKind of(JsonNode report) {
        return switch (report.path("load_model").asText()) {
            case "open" -> OPEN;
            case "closed" -> CLOSED;
            case "churn" -> CHURN;
            default -> IDLE;
        };
    }

    /** Whether the run's workload sends requests: a churn of idle connections does not. */
    static boolean sendsRequests(JsonNode report) {
        return !report.path("workload").asText().equals("idle");
    }
}
