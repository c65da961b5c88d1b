package dev.ricochet.loadgen.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.report.html.HtmlReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's finished report goes: a JSON file ({@link JsonReport}), a page. Every sink is
 * handed the same tree ({@link RunDocument}), once, when the run is over, so that every figure
 * a sink shows is one the JSON holds.
 */
public interface ReportSink {

    /**
     * Writes the report.
     *
     * @param report the whole report, as the JSON has it; not to be changed (the other sinks
     *               read it after this one)
     */
    void write(JsonNode report) throws IOException;

    /**
     * The sinks of the report files asked for ({@code --json}, {@code --html}), in that order;
     * none when neither is, and then the tree (and the timeline it holds) need not be built.
     *
     * @param json where --json writes, {@code -} for {@code out}; null when not given
     * @param html where --html writes; null when not given (the page's classes, AWT among them,
     *             then never load)
     */
    static List<ReportSink> forFiles(Path json, Path html, PrintStream out) {
        List<ReportSink> sinks = new ArrayList<>();
        if (json != null) {
            sinks.add(new JsonReport(json, out));
        }
        if (html != null) {
            sinks.add(new HtmlReport(html));
        }
        return sinks;
    }
}
