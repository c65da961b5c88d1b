package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.report.ReportSink;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --html FILE}: the report's page, written once the run is over, from the report's tree
 * (the one the JSON file is written from), so that the page shows the JSON's figures and no
 * other. Its classes, and JFreeChart's, load only when a run asks for a page.
 */
public final class HtmlReport implements ReportSink {

    private final Path file;

    /** @param file where the page goes, replaced */
    public HtmlReport(Path file) {
        this.file = file;
    }

    @Override
    public void write(JsonNode report) throws IOException {
        ChartRuntime.headless();
        RunPage.of(report).write(file);
    }
}
