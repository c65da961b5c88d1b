package dev.ricochet.loadgen.report;

import dev.ricochet.loadgen.run.LoadRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * An HdrHistogram interval log: one corrected and one uncorrected histogram (tagged so) per
 * measured interval, timestamped in seconds since the epoch, for HdrHistogram's own tools. The warmup's intervals hold no latencies
 * and are left out.
 */
public final class HdrLogReport implements Report {

    private final PrintStream stream;
    private final HistogramLogWriter writer;

    private HdrLogReport(PrintStream stream) {
        this.stream = stream;
        this.writer = new HistogramLogWriter(stream);
        writer.outputLogFormatVersion();
        writer.outputStartTime(System.currentTimeMillis());
        // Absolute timestamps (seconds since the epoch): the logs of load generators that ran
        // side by side, in other processes or pods, line up interval by interval.
        writer.outputBaseTime(0);
        writer.setBaseTime(0);
        writer.outputLegend();
    }

    /** Creates (or truncates) {@code file} and writes the log's header. */
    public static HdrLogReport open(Path file) throws IOException {
        return new HdrLogReport(new PrintStream(file.toFile(), StandardCharsets.US_ASCII));
    }

    @Override
    public void interval(LoadRun.Interval interval) {
        if (!interval.measuring()) {
            return;
        }
        Histogram corrected = interval.latencies().corrected();
        Histogram uncorrected = interval.latencies().uncorrected();
        corrected.setTag("corrected");
        uncorrected.setTag("uncorrected");
        writer.outputIntervalHistogram(corrected);
        writer.outputIntervalHistogram(uncorrected);
    }

    @Override
    public void close() {
        stream.close();
    }
}
