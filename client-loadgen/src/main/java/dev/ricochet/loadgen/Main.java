package dev.ricochet.loadgen;

import dev.ricochet.loadgen.merge.MergeCommand;
import dev.ricochet.loadgen.report.HdrLogReport;
import dev.ricochet.loadgen.report.Report;
import dev.ricochet.loadgen.report.ReportSink;
import dev.ricochet.loadgen.report.Reports;
import dev.ricochet.loadgen.report.RunDocument;
import dev.ricochet.loadgen.report.TextReport;
import dev.ricochet.loadgen.report.html.HtmlCommand;
import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RunResult;
import dev.ricochet.loadgen.run.StopRequest;
import dev.ricochet.loadgen.run.StoppedBeforeMeasuring;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code ricochet loadgen}: runs one load test and reports it. Exit code 0 only when no
 * reply mismatched, the error rate stayed within {@code --max-error-rate}, the shed rate within
 * {@code --max-shed-rate}, in open loop the rate achieved within {@code --min-achieved-rate},
 * every connection came up at least once, and some request was answered ({@link Verdict}); 1
 * otherwise; 2 for bad usage; 130 or 143 when SIGINT or SIGTERM stopped the run, which reports
 * what it measured until then ({@link SignalStop}). {@code ricochet loadgen merge} adds up the
 * reports of a run's shards ({@link MergeCommand}); {@code ricochet loadgen html} writes a run's
 * page from its JSON report ({@link HtmlCommand}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (!leakDetectionAsked(System.getProperties())) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        int code = run(args, System.out, System.err, () -> SignalStop.install(System.err));
        System.exit(code);
    }

    /**
     * Netty's default leak detection samples one buffer in 128 with a stack trace each: CPU
     * taken from the cores the load generator may share with the server it measures
     * (docs/benchmark-history.md measures it in the server, which pays alike). So it runs without,
     * unless a system property asks for a level ({@code -Dio.netty.leakDetection.level=simple},
     * or Netty's older spelling); the tests ask for the paranoid one.
     */
    static boolean leakDetectionAsked(Properties system) {
        return system.getProperty("io.netty.leakDetection.level") != null
                || system.getProperty("io.netty.leakDetectionLevel") != null;
    }

    /** Runs as {@link #main} does, where no signal stops the run. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, StopRequest::new);
    }

    /**
     * @param stops called once the command line is read, for a load run only (a merge keeps
     *              the JVM's default: a signal ends it at once): what stops the run early
     */
    static int run(String[] args, PrintStream out, PrintStream err, Supplier<StopRequest> stops) {
        if (args.length > 0 && args[0].equals("merge")) {
            return MergeCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("html")) {
            return HtmlCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        LoadgenCommand command = new LoadgenCommand();
        CommandLine cli = LoadgenCommand.newCommandLine(command);
        LoadSpec spec;
        try {
            if (HelpRequest.answered(cli, cli.parseArgs(args), out)) {
                return 0;
            }
            spec = command.toSpec();
        } catch (ParameterException | IllegalArgumentException e) {
            err.println("ricochet loadgen: " + e.getMessage() + " (see --help)");
            return 2;
        }
        StopRequest stop = stops.get();
        try (Reports reports = open(command, spec, out, err)) {
            RunResult result;
            try {
                result = new LoadRun(spec, stop).run(reports::interval, reports::step);
            } catch (StoppedBeforeMeasuring e) {
                err.println("ricochet loadgen: interrupted by " + e.getMessage());
                return stop.exitCode();
            }
            reports.end(spec, result);
            Optional<String> failure = Verdict.failure(spec, result);
            failure.ifPresent(reason -> err.println("ricochet loadgen: FAILED (" + reason + ")"));
            if (stop.made()) {
                // Also when the signal came once the measurement was over: the reports are whole.
                return stop.exitCode();
            }
            return failure.isPresent() ? 1 : 0;
        } catch (IOException e) {
            err.println("ricochet loadgen: cannot write a report: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * The run's outputs, in the order they are told of each interval and of the end: the text
     * report (progress lines, then the report), the report's tree when some file wants it, and
     * the log. The log's header is written now, before the first connection.
     */
    private static Reports open(LoadgenCommand command, LoadSpec spec, PrintStream out, PrintStream err)
            throws IOException {
        List<Report> reports = new ArrayList<>();
        reports.add(new TextReport(out, err));
        List<ReportSink> sinks = ReportSink.forFiles(command.json, command.html, out);
        if (!sinks.isEmpty()) {
            reports.add(new RunDocument(command.options(), spec.openLoop(), sinks));
        }
        if (command.hdrLog != null) {
            reports.add(HdrLogReport.open(command.hdrLog));
        }
        return new Reports(reports);
    }

}
