package dev.ricochet.benchreport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/** Writes the charts of {@code bench/compare-engines.sh} as PNG files. */
final class EngineCharts {

    static final int WIDTH = 900;
    static final int HEIGHT = 540;
    /** The prime chart stacks two plots. */
    static final int PRIME_MIX_HEIGHT = 720;

    private EngineCharts() {
    }

    /** @return the files written, in a fixed order; the prime chart only when the results have a prime run */
    static List<Path> writeAll(EnginesResults results, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        written.add(write(directory.resolve("engines-requests-per-second.png"), HEIGHT, ConnectionsChart.draw(results,
                "Echo, closed loop: requests/s", "requests/s", false, EngineRun::requestsPerSecond)));
        written.add(write(directory.resolve("engines-p99.png"), HEIGHT, ConnectionsChart.draw(results,
                "Echo, closed loop: p99 latency of the runs without errors", "p99 ms (log scale)", true,
                EngineCharts::p99WithoutErrors)));
        written.add(write(directory.resolve("engines-errors.png"), HEIGHT, ConnectionsChart.draw(results,
                "Echo, closed loop: errors (every kind, whole run)", "errors", false, EngineRun::errors)));
        written.add(write(directory.resolve("engines-rss.png"), HEIGHT, ConnectionsChart.draw(results,
                "Echo, closed loop: server peak RSS", "VmHWM MiB", false, EngineRun::rssPeakMib)));
        written.add(write(directory.resolve("engines-threads.png"), HEIGHT, ConnectionsChart.draw(results,
                "Echo, closed loop: server peak threads", "threads (log scale)", true, EngineRun::threadsPeak)));
        if (!results.runs(EngineRun.PRIME_MIXED).isEmpty()) {
            written.add(write(directory.resolve("engines-prime-mix.png"), PRIME_MIX_HEIGHT, PrimeMixChart.draw(results)));
        }
        return written;
    }

    private static Path write(Path file, int height, JFreeChart chart) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, height);
        return file;
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
