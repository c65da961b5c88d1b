package dev.ricochet.benchreport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * The charts of {@code bench/compare-engines.sh}: written as PNG files beside its Markdown, and
 * drawn as SVG on its page ({@link EnginesPage}), the same charts from the same figures.
 */
final class EngineCharts {

    static final int WIDTH = 900;
    static final int HEIGHT = 540;
    /** The prime chart stacks two plots. */
    static final int PRIME_MIX_HEIGHT = 720;

    /**
     * One chart and its name: the PNG is {@code engines-NAME.png}, the page's figure has the id NAME.
     *
     * @param stacked whether it stacks two plots, and wants more height
     */
    record NamedChart(String name, JFreeChart chart, boolean stacked) {

        String fileName() {
            return "engines-" + name + ".png";
        }
    }

    private EngineCharts() {
    }

    /**
     * @param caption a line under each title; empty for none
     * @return the charts in a fixed order; the prime chart only when the results have a prime run
     */
    static List<NamedChart> draw(EnginesResults results, String caption) {
        List<NamedChart> charts = new ArrayList<>();
        charts.add(new NamedChart("requests-per-second", ConnectionsChart.draw(results,
                "Echo, closed loop: requests/s", "requests/s", false, EngineRun::requestsPerSecond, caption), false));
        charts.add(new NamedChart("p99", ConnectionsChart.draw(results,
                "Echo, closed loop: p99 latency of the runs without errors", "p99 ms (log scale)", true,
                EngineCharts::p99WithoutErrors, caption), false));
        charts.add(new NamedChart("errors", ConnectionsChart.draw(results,
                "Echo, closed loop: errors (every kind, whole run)", "errors", false, EngineRun::errors, caption), false));
        charts.add(new NamedChart("rss", ConnectionsChart.draw(results,
                "Echo, closed loop: server peak RSS", "VmHWM MiB", false, EngineRun::rssPeakMib, caption), false));
        charts.add(new NamedChart("threads", ConnectionsChart.draw(results,
                "Echo, closed loop: server peak threads", "threads (log scale)", true, EngineRun::threadsPeak,
                caption), false));
        if (!results.runs(EngineRun.PRIME_MIXED).isEmpty()) {
            charts.add(new NamedChart("prime-mix", PrimeMixChart.draw(results, caption), true));
        }
        return charts;
    }

    /** @return the files written, in the order of {@link #draw} */
    static List<Path> writeAll(EnginesResults results, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        for (NamedChart chart : draw(results, results.caption())) {
            Path file = directory.resolve(chart.fileName());
            ChartUtils.saveChartAsPNG(file.toFile(), chart.chart(), WIDTH, chart.stacked() ? PRIME_MIX_HEIGHT : HEIGHT);
            written.add(file);
        }
        return written;
    }

    /**
     * A run with errors is left out of the latency chart: its percentiles count only the
     * requests that were answered (a server that served one client of a hundred shows that
     * client's fast round trips), so its point would claim the best latency of all.
     */
    private static double p99WithoutErrors(EngineRun run) {
        return run.errors() > 0 ? Double.NaN : run.p99Millis();
    }
}
