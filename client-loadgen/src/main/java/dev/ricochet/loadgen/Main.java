package dev.ricochet.loadgen;

import dev.ricochet.loadgen.report.JsonReport;
import dev.ricochet.loadgen.report.TextReport;
import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RunResult;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import java.util.Properties;
import org.HdrHistogram.HistogramLogWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code ricochet loadgen}: runs one load test and reports it. Exit code 0 only when no
 * reply mismatched, the error rate stayed within {@code --max-error-rate}, the shed rate within
 * {@code --max-shed-rate}, in open loop the rate achieved within {@code --min-achieved-rate},
 * every connection came up at least once, and some request was answered ({@link Verdict}); 1
 * otherwise; 2 for bad usage.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (!leakDetectionAsked(System.getProperties())) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    /**
     * Netty's default leak detection samples one buffer in 128 with a stack trace each: about
     * 1% of the load generator's CPU at 50,000 requests/s, taken from the cores it may share
     * with the server it measures. So it runs without, unless a system property asks for a
     * level ({@code -Dio.netty.leakDetection.level=simple}, or Netty's older spelling); the
     * tests ask for the paranoid one.
     */
    static boolean leakDetectionAsked(Properties system) {
        return system.getProperty("io.netty.leakDetection.level") != null
                || system.getProperty("io.netty.leakDetectionLevel") != null;
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        LoadgenCommand command = new LoadgenCommand();
        CommandLine cli = LoadgenCommand.newCommandLine(command);
        LoadSpec spec;
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            if (parsed.isUsageHelpRequested()) {
                cli.usage(out);
                return 0;
            }
            if (parsed.isVersionHelpRequested()) {
                cli.printVersionHelp(out);
                return 0;
            }
            spec = command.toSpec();
        } catch (ParameterException | IllegalArgumentException e) {
            err.println("ricochet loadgen: " + e.getMessage() + " (see --help)");
            return 2;
        }
        try (HistogramLog log = HistogramLog.open(command.hdrLog)) {
            LoadRun run = new LoadRun(spec);
            RunResult result = run.run(tick -> {
                TextReport.progress(err, tick);
                log.write(tick);
            });
            TextReport.print(out, spec, result);
            if (command.json != null) {
                JsonReport.write(command.json, spec, command.options(), result);
            }
            Optional<String> failure = Verdict.failure(spec, result);
            if (failure.isPresent()) {
                err.println("ricochet loadgen: FAILED (" + failure.get() + ")");
                return 1;
            }
            return 0;
        } catch (IOException e) {
            err.println("ricochet loadgen: cannot write a report: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The optional HdrHistogram interval log; a no-op without {@code --hdr-log}. */
    private static final class HistogramLog implements AutoCloseable {
        private final HistogramLogWriter writer;
        private final PrintStream stream;

        private HistogramLog(PrintStream stream) {
            this.stream = stream;
            this.writer = stream == null ? null : new HistogramLogWriter(stream);
            if (writer != null) {
                writer.outputLogFormatVersion();
                writer.outputStartTime(System.currentTimeMillis());
                writer.setBaseTime(System.currentTimeMillis());
                writer.outputLegend();
            }
        }

        static HistogramLog open(java.nio.file.Path file) throws IOException {
            return new HistogramLog(file == null ? null : new PrintStream(file.toFile(), java.nio.charset.StandardCharsets.US_ASCII));
        }

        void write(LoadRun.Interval tick) {
            if (writer == null || !tick.measuring()) {
                return;
            }
            tick.latencies().corrected().setTag("corrected");
            tick.latencies().uncorrected().setTag("uncorrected");
            writer.outputIntervalHistogram(tick.latencies().corrected());
            writer.outputIntervalHistogram(tick.latencies().uncorrected());
        }

        @Override
        public void close() {
            if (stream != null) {
                stream.close();
            }
        }
    }
}
