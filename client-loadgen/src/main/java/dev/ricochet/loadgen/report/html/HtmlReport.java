package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/** {@code --html FILE}: the report's page, written once the run is over, from the report's tree. */
public final class HtmlReport {

    private final Path file;

    /** @param file where the page goes, replaced */
    public HtmlReport(Path file) {
        this.file = file;
    }

    public void write(JsonNode report) throws IOException {
        ChartRuntime.headless();
        RunPage.of(report).write(file);
    }
}
