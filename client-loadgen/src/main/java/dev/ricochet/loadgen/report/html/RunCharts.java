package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.report.HistogramText;
import dev.ricochet.reporthtml.Figure;
import dev.ricochet.reporthtml.PercentileChart;
import dev.ricochet.reporthtml.TimelineChart;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * The run's charts, each drawn from the JSON report's own figures: the latency spectrum from
 * its histograms, the charts over time from its timeline, the search's steps from its
 * {@code find_rate}.
 */
final class RunCharts {

    static final String SPECTRUM = "latency-by-percentile";
    static final String TIMELINE = "timeline";
    static final String ERRORS = "errors";
    static final String CONNECTIONS = "connections";
    static final String STEPS = "find-rate-steps";

    /** Two charts side by side fit the page's column of a 1366-pixel screen; two rows fit under the header. */
    private static final int WIDTH = 640;
    private static final int HEIGHT = 272;
    private static final String TIME = "seconds since the start";
    /** A wait for --start-at shorter than this is not worth a shade. */
    private static final double WAIT_SHOWN = 0.05;
    /** Histograms are in nanoseconds, charts in milliseconds. */
    private static final double NANOS_PER_MILLI = 1e6;

    private RunCharts() {
    }

    /**
     * The first screen's charts: the spectrum, then requests/s and p99 over time, then errors,
     * sheds and reconnects, and connections up, when the report has a timeline. A run without a
     * load of requests (idle, churn) has no requests/s to draw: its connections come second.
     */
    static List<Figure> firstScreen(JsonNode report, TimelinePoints timeline) {
        List<Figure> figures = new ArrayList<>();
        figures.add(spectrum(report));
        if (timeline.isEmpty()) {
            return figures;
        }
        if (RunKind.countsRequests(report)) {
            figures.add(timeline(report, timeline));
            figures.add(errors(report, timeline));
            figures.add(connections(report, timeline));
        } else {
            figures.add(connections(report, timeline));
            figures.add(errors(report, timeline));
        }
        return figures;
    }

    /**
     * Latency by percentile: corrected and uncorrected in open loop, the one latency of a closed
     * loop; a run that sends no request of its own (idle, churn) has its connect times instead.
     */
    private static Figure spectrum(JsonNode report) {
        RunKind kind = RunKind.of(report);
        JsonNode histograms = report.path("histograms");
        List<PercentileChart.Curve> curves = new ArrayList<>();
        String title;
        String caption;
        if (kind == RunKind.OPEN) {
            title = "Latency by percentile";
            curves.add(curve("corrected", histograms.path("corrected")));
            curves.add(curve("uncorrected", histograms.path("uncorrected")));
            caption = "Corrected: from each request's planned send (coordinated omission corrected); uncorrected:"
                    + " from its actual send. " + summary("corrected", report.path("latency_corrected_ms"))
                    + "; " + summary("uncorrected", report.path("latency_uncorrected_ms")) + ".";
        } else if (kind == RunKind.CLOSED) {
            title = "Latency by percentile";
            curves.add(curve("latency", histograms.path("uncorrected")));
            caption = "Closed loop: each request sent when the last was answered, so nothing to correct. "
                    + summary("latency", report.path("latency_uncorrected_ms")) + ".";
        } else {
            title = "Connect time by percentile";
            curves.add(curve("connect time", histograms.path("connect_time")));
            caption = (kind == RunKind.IDLE ? "The idle workload sends no requests: no request latency. "
                    : "Churn: each connection's connect time from its planned start. ")
                    + summary("connect time", report.path("connect_time_ms")) + ".";
        }
        return figure(SPECTRUM, PercentileChart.draw(title, "milliseconds (log scale)", curves), caption);
    }

    /** Requests answered per second, the rate planned, and p99 (log, right), the connect phase and warmup shaded. */
    private static Figure timeline(JsonNode report, TimelinePoints t) {
        boolean open = RunKind.of(report) == RunKind.OPEN;
        String p99 = open ? "corrected p99" : "p99";
        TimelineChart chart = TimelineChart.titled("Requests/s and " + p99 + ", per second", TIME)
                .axis("requests/s", false).line("requests/s", t.middles(), t.requests());
        PlannedRate planned = PlannedRate.of(report, t);
        if (planned != null) {
            chart.guide("planned/s", planned.times(), planned.rates());
        }
        boolean latency = false;
        for (double v : t.p99()) {
            latency |= !Double.isNaN(v);
        }
        if (latency) {
            chart.axis(p99 + ", ms (log scale)", true).line(p99, t.middles(), t.p99());
        }
        shade(chart, report, t);
        return figure(TIMELINE, chart.build(), "Verified replies per second, warmup included; "
                + (latency ? p99 + " of the requests of each second of the measurement" : "no latency samples")
                + ". Requests/s over the measurement: " + Cells.rate(report.path("requests_per_second"))
                + (Cells.present(report.path("planned_requests_per_second"))
                        ? ", planned " + Cells.rate(report.path("planned_requests_per_second")) : "") + ".");
    }

    /** Errors by kind (those that occurred), sheds and reconnects, stacked, per second. */
    private static Figure errors(JsonNode report, TimelinePoints t) {
        TimelineChart chart = TimelineChart.titled("Errors, sheds and reconnects per second", TIME)
                .axis("count in the second", false);
        List<String> kinds = t.kindsThatOccurred();
        for (String kind : kinds) {
            chart.bars(kind.replace('_', ' '), t.seconds(), t.errorsByKind().get(kind));
        }
        chart.bars("shed", t.seconds(), t.shed()).bars("reconnects", t.seconds(), t.reconnects());
        shade(chart, report, t);
        double errors = 0;
        for (String kind : kinds) {
            errors += TimelinePoints.sum(t.errorsByKind().get(kind));
        }
        return figure(ERRORS, chart.build(), String.format(java.util.Locale.ROOT,
                "Over the run: %s errors%s, %s shed, %s reconnects.", Cells.count((long) errors),
                kinds.isEmpty() ? "" : " (" + String.join(", ", kinds.stream().map(k -> k.replace('_', ' ')).toList())
                        + ")", Cells.count((long) TimelinePoints.sum(t.shed())),
                Cells.count((long) TimelinePoints.sum(t.reconnects()))));
    }

    private static Figure connections(JsonNode report, TimelinePoints t) {
        TimelineChart chart = TimelineChart.titled("Connections up", TIME).axis("connections", false)
                .line("connections up", t.seconds(), t.connections());
        shade(chart, report, t);
        return figure(CONNECTIONS, chart.build(), "Connections up at the end of each second.");
    }

    /**
     * A search's steps: the rate of each, as a bar, held or missed, and the goal's figure of its
     * window on a log axis.
     */
    static Figure steps(JsonNode findRate) {
        JsonNode steps = findRate.path("steps");
        int n = steps.size();
        double[] number = new double[n];
        // A bar spans the interval before its time: each step's ends half a step past its number, centred on it.
        double[] barTimes = new double[n];
        double[] held = new double[n];
        double[] missed = new double[n];
        double[] goal = new double[n];
        for (int i = 0; i < n; i++) {
            JsonNode step = steps.get(i);
            number[i] = step.path("step").asDouble();
            barTimes[i] = number[i] + 0.5;
            double rate = step.path("rate_per_second").asDouble();
            boolean ok = step.path("held").asBoolean();
            held[i] = ok ? rate : 0;
            missed[i] = ok ? 0 : rate;
            goal[i] = Cells.present(step.path("goal_value_ms")) ? step.path("goal_value_ms").asDouble() : Double.NaN;
        }
        String label = goalLabel(findRate);
        TimelineChart chart = TimelineChart.titled("Search steps: rate tried and corrected " + label, "step")
                .axis("requests/s", false).bars("held", barTimes, held).bars("missed", barTimes, missed)
                .axis(label + ", ms (log scale)", true).line(label, number, goal);
        return figure(STEPS, chart.build(), "");
    }

    /** The goal's percentile as the steps table names it: p99, p99.9, max. */
    static String goalLabel(JsonNode findRate) {
        double p = findRate.path("percentile").asDouble();
        return p >= 100 ? "max" : "p" + (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p));
    }

    /**
     * Shades the stretches before the measurement, as the report times them: the connect phase
     * from the start, the wait for {@code --start-at} after it when there was one, the warmup
     * up to the measurement's start.
     */
    private static void shade(TimelineChart chart, JsonNode report, TimelinePoints t) {
        double measure = t.measureStart(report);
        double connectEnd = report.path("connect_phase_seconds").asDouble();
        double warmupStart = Math.max(connectEnd, measure - report.path("warmup_seconds").asDouble());
        // In this order, so that each stage keeps its shade whether or not a wait came between.
        chart.shade(0, connectEnd, "connect");
        chart.shade(warmupStart, measure, "warmup");
        if (Cells.present(report.path("start_at_epoch_ms")) && warmupStart - connectEnd > WAIT_SHOWN) {
            chart.shade(connectEnd, warmupStart, "waiting for --start-at");
        }
    }

    private static PercentileChart.Curve curve(String name, JsonNode encoded) {
        return PercentileChart.Curve.of(name, HistogramText.decode(encoded.asText()), NANOS_PER_MILLI);
    }

    /** {@code corrected p99 3.258 ms, max 8.229 ms}, from the report's figures. */
    private static String summary(String name, JsonNode latency) {
        if (latency.path("samples").asLong() == 0) {
            return name + ": no samples";
        }
        return name + " p99 " + Cells.millis(latency.path("p99")) + " ms, max " + Cells.millis(latency.path("max"))
                + " ms";
    }

    private static Figure figure(String id, JFreeChart chart, String caption) {
        return Figure.of(id, chart, WIDTH, HEIGHT, caption);
    }
}
