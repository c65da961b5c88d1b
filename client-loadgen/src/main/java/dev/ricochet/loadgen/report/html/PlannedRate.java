package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rate an open loop planned over its measurement, as a line on the timeline: its one
 * {@code planned_requests_per_second}, or, with a rate profile, each phase's from its start
 * rate to its end rate. A search plans a rate per step: it has none here (its steps have their
 * own chart).
 *
 * @param times seconds since the start of the run
 * @param rates requests per second planned then
 */
record PlannedRate(double[] times, double[] rates) {

    /** A step's end drawn this much before the next one's start: the line's times must differ. */
    private static final double JOIN = 1e-3;

    /** The plan of {@code report}'s measurement; null when it has none to draw. */
    static PlannedRate of(JsonNode report, TimelinePoints timeline) {
        if (RunKind.of(report) != RunKind.OPEN || Cells.present(report.path("find_rate"))) {
            return null;
        }
        if (timeline.isEmpty()) {
            return null;
        }
        double start = timeline.measureStart(report);
        JsonNode phases = report.path("phases");
        if (phases.size() > 0) {
            int n = phases.size();
            double[] times = new double[2 * n];
            double[] rates = new double[2 * n];
            for (int i = 0; i < n; i++) {
                JsonNode phase = phases.get(i);
                times[2 * i] = start + phase.path("start_seconds").asDouble();
                rates[2 * i] = phase.path("planned_rate_from").asDouble();
                times[2 * i + 1] = start + phase.path("end_seconds").asDouble() - JOIN;
                rates[2 * i + 1] = phase.path("planned_rate_to").asDouble();
            }
            return new PlannedRate(times, rates);
        }
        JsonNode planned = report.path("planned_requests_per_second");
        if (!Cells.present(planned)) {
            return null;
        }
        double rate = planned.asDouble();
        return new PlannedRate(new double[] {start, start + report.path("seconds").asDouble()},
                new double[] {rate, rate});
    }
}
