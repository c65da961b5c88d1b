package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.HelpRequest;
import dev.ricochet.loadgen.ReportFile;
import dev.ricochet.loadgen.report.JsonReport;
import dev.ricochet.loadgen.report.ReportTrees;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code ricochet loadgen html}: the page of a run from its JSON report, written afterwards, for
 * a run made where the page could not be drawn (the container image's Java runtime has no AWT)
 * or whose page nobody asked for. The page is the one {@code --html} would have written: the
 * same code ({@link HtmlReport}) draws it from the same tree, read back from the JSON.
 */
@Command(
        name = "ricochet loadgen html",
        mixinStandardHelpOptions = true,
        version = "ricochet loadgen html",
        usageHelpAutoWidth = true,
        description = "Writes the HTML page of a run from its JSON report, the page --html would have written for"
                + " that run: for a run made where the page could not be drawn (a Java runtime without the"
                + " java.desktop module, such as the container image's), or without --html.",
        footer = {"", "REPORT is a report written by --json FILE, of a run, a shard or a merge, or a log that carries"
                + " one after its text (written by --json -, such as a pod's log). A file that holds several reports"
                + " (the logs of a run's shards) is refused: merge them into one with 'ricochet loadgen merge --html"
                + " PAGE FILE...'. Needs the java.desktop module (AWT draws the charts).",
                "", "Exit codes: 0 the page written; 1 it could not be written; 2 bad usage, or a REPORT that is not"
                + " one load generator report."})
public final class HtmlCommand {

    /** What every report the load generator writes has, and a page cannot do without. */
    private static final List<String> REQUIRED = List.of("options", "target", "workload", "load_model");

    @Parameters(index = "0", paramLabel = "REPORT", description = "The run's JSON report.")
    Path report;

    @Parameters(index = "1", paramLabel = "PAGE", description = "Where the page goes, replaced. Not -, nor REPORT.")
    Path page;

    private HtmlCommand() {
    }

    /** @return the exit code: 0 the page written, 1 it could not be, 2 bad usage or not one run's report */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        HtmlCommand command = new HtmlCommand();
        CommandLine cli = new CommandLine(command);
        JsonNode report;
        try {
            if (HelpRequest.answered(cli, cli.parseArgs(args), out)) {
                return 0;
            }
            command.requirePageOfItsOwn();
            ReportFile.requireDrawable("PAGE", command.page);
            report = onlyReport(command.report);
        } catch (ParameterException | IllegalArgumentException e) {
            err.println("ricochet loadgen html: " + e.getMessage());
            return 2;
        }
        try {
            new HtmlReport(command.page).write(report);
        } catch (IOException e) {
            err.println("ricochet loadgen html: PAGE: " + command.page + " (cannot write: "
                    + ReportFile.problem(command.page).orElse(e.toString()) + ")");
            return 1;
        }
        return 0;
    }

    private void requirePageOfItsOwn() {
        if (JsonReport.isStandardOutput(page)) {
            throw new IllegalArgumentException("PAGE: " + page + " (expected: a file)");
        }
        if (page.toAbsolutePath().normalize().equals(report.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("PAGE: " + page + " (expected: a file other than REPORT, which the"
                    + " page would replace)");
        }
    }

    /**
     * The one report {@code file} holds.
     *
     * @throws IllegalArgumentException when it holds none, several, or something else than a
     *                                  load generator's report
     */
    private static JsonNode onlyReport(Path file) {
        List<ReportTrees.Found> found = ReportTrees.read(file);
        if (found.size() > 1) {
            throw new IllegalArgumentException(file + ": " + found.size() + " reports in it (at "
                    + found.stream().map(f -> f.source().substring(file.toString().length() + 1))
                            .collect(Collectors.joining(", "))
                    + "); a page draws one: merge a run's shards into one report with 'ricochet loadgen merge --html"
                    + " PAGE " + file + "'");
        }
        JsonNode tree = found.get(0).tree();
        for (String field : REQUIRED) {
            if (!tree.hasNonNull(field)) {
                throw new IllegalArgumentException(file + ": not a load generator's report (no '" + field + "')");
            }
        }
        return tree;
    }
}
