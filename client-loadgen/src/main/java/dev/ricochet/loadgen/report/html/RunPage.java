package dev.ricochet.loadgen.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.reporthtml.HtmlPage;

/**
 * A run's report as one self-contained HTML page, drawn from the JSON report's tree alone (the
 * tree {@code --json} writes), so that every figure on the page is one the JSON holds: the
 * header (what ran, how, and the verdict), the charts of the first screen (the latency spectrum,
 * requests/s and p99 over time, errors, sheds and reconnects, connections up), then the tables.
 *
 * <p>Draws with JFreeChart, so it needs AWT (the {@code java.desktop} module), headless: see
 * {@link HtmlReport}.
 */
public final class RunPage {

    private RunPage() {
    }

    /** The page of {@code report}, a run's or a merged run's JSON report. */
    public static HtmlPage of(JsonNode report) {
        TimelinePoints timeline = TimelinePoints.of(report);
        HtmlPage page = new HtmlPage(RunHeader.title(report)).facts(RunHeader.facts(report));
        String verdict = RunHeader.verdict(report);
        if (verdict != null) {
            page.verdict(RunHeader.passed(report), verdict);
        }
        page.charts(RunCharts.firstScreen(report, timeline));
        if (timeline.isEmpty()) {
            page.paragraph("This report has no timeline: nothing to draw over time.");
        }
        RunTables.addTo(page, report);
        page.section("about", "About this page").paragraph("Every figure on this page is one of the run's JSON report"
                + " (ricochet loadgen --json), the spectrum drawn from its histograms, the charts over time from its"
                + " timeline.");
        return page;
    }
}
