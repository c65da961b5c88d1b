package dev.ricochet.loadgen.merge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ricochet.loadgen.HelpRequest;
import dev.ricochet.loadgen.ReportFile;
import dev.ricochet.loadgen.Verdict;
import dev.ricochet.loadgen.report.Report;
import dev.ricochet.loadgen.report.ReportSink;
import dev.ricochet.loadgen.report.Reports;
import dev.ricochet.loadgen.report.RunDocument;
import dev.ricochet.loadgen.report.TextReport;
import dev.ricochet.loadgen.report.Timeline;
import dev.ricochet.loadgen.run.LoadSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** {@code ricochet loadgen merge}: one report of a run from the reports of its shards. */
@Command(
        name = "ricochet loadgen merge",
        mixinStandardHelpOptions = true,
        version = "ricochet loadgen merge",
        usageHelpAutoWidth = true,
        description = "Adds up the JSON reports of a run's shards (--shard or --shards, each with --json) into the"
                + " report of the whole run, in the text and JSON of a single run: latency percentiles of the shards'"
                + " histograms added together, never averaged; counts, errors, sheds, reconnects and connections"
                + " summed; requests/s the sum of the shards' own, over the window they measured in common, which is"
                + " stated; with --rate-profile, each phase's figures from the shards' phases added up the same"
                + " way; then a line per shard.",
        footer = {"", "A FILE is a report written by --json FILE, or a log that carries reports after their text"
                + " (written by --json -, such as a pod's log; several pods' logs may be one file). Reports of other"
                + " targets, workloads or options (a different --rate-profile among them), a shard missing or given"
                + " twice, and measurements that do not overlap are refused.",
                "", "The timeline (a point per second) adds the shards' points by wall-clock second: each point falls"
                + " in the second nearest its end, counted from the earliest point's end (every run ticks half a"
                + " second off its measurement's start, so shards given one --start-at tick together); in each"
                + " second counts, errors, reconnects and connections up add up, requests/s is the sum of each"
                + " shard's own, and the latency is read from the sum of the shards' histograms of that second.",
                "", "Exit codes: as the run's own would be (0 passed; 1 failed, by the same rules and limits as a"
                + " single run); 2 bad usage, or reports that are not one run's."})
public final class MergeCommand {

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the merged figures, with the options and the added histograms, as JSON. -: on"
                    + " standard output, after the text report.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the merged report as one self-contained HTML page, as 'ricochet loadgen --html'"
                    + " does: drawn from the merged JSON's figures (the shards' histograms and timelines added up),"
                    + " with a table of the shards. Not -, nor the file of --json. Needs the java.desktop module (AWT"
                    + " draws the charts).")
    Path html;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The shards' reports, in any order.")
    List<Path> files;

    /** @return the exit code: 0 passed, 1 failed, 2 bad usage or reports not of one run */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        MergeCommand command = new MergeCommand();
        CommandLine cli = new CommandLine(command);
        MergedRun run;
        LoadSpec spec;
        try {
            if (HelpRequest.answered(cli, cli.parseArgs(args), out)) {
                return 0;
            }
            ReportFile.requireJsonWritable(command.json);
            Map<String, Path> others = new LinkedHashMap<>();
            others.put("--json", command.json);
            ReportFile.requirePageWritable(command.html, others);
            List<ShardReport> shards = new ArrayList<>();
            for (Path file : command.files) {
                shards.addAll(ShardReports.read(file));
            }
            run = Merge.of(shards);
            spec = run.spec();
        } catch (ParameterException | IllegalArgumentException e) {
            err.println("ricochet loadgen merge: " + e.getMessage());
            return 2;
        }
        MergeReport merged = new MergeReport(out, run);
        List<Report> reports = new ArrayList<>(List.of(new TextReport(out, err), merged));
        List<ReportSink> sinks = ReportSink.forFiles(command.json, command.html, out);
        if (!sinks.isEmpty()) {
            reports.add(new RunDocument(options(run), Map.of("merged", merged.section(spec)),
                    Timeline.of(run.timeline()), sinks));
        }
        try (Reports all = new Reports(reports)) {
            all.end(spec, run.result());
        } catch (IOException e) {
            err.println("ricochet loadgen merge: cannot write a report: " + e.getMessage());
            return 1;
        }
        Optional<String> failure = Verdict.failure(spec, run.result());
        if (failure.isPresent()) {
            err.println("ricochet loadgen merge: FAILED (" + failure.get() + ")");
            return 1;
        }
        return 0;
    }

    /** The run's options, as each shard echoed them, but for the shard's own. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> options(MergedRun run) {
        Map<String, Object> options = new ObjectMapper().convertValue(run.shards().get(0).options(), LinkedHashMap.class);
        options.remove("shard");
        options.remove("shards");
        return options;
    }
}
