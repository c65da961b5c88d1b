package dev.ricochet.benchreport;

import dev.ricochet.reporthtml.Figure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a benchmark's page shows above its Markdown, all of it drawn from the results JSON.
 *
 * @param title       the page's title when the Markdown has no heading to give it
 * @param facts       the run's facts for the page's header, in order: when, on what, the command
 * @param figures     the charts, in reading order
 * @param drawnImages images the Markdown shows that the page draws itself (left out of it)
 */
record PageContent(String title, Map<String, String> facts, List<Figure> figures, Set<String> drawnImages) {

    PageContent {
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        figures = List.copyOf(figures);
        drawnImages = Set.copyOf(drawnImages);
    }
}
