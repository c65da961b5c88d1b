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

    /**
     * Whether the run is a load of requests, counted and timed: an open or closed loop. An idle
     * run sends none; a churn run's one request per connection is part of its connect cycle,
     * not counted as a request.
     */
    static boolean countsRequests(JsonNode report) {
        RunKind kind = of(report);
        return kind == OPEN || kind == CLOSED;
    }
}
