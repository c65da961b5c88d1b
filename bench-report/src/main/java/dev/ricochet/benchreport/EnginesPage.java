package dev.ricochet.benchreport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.reporthtml.Figure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The page of {@code bench/compare-engines.sh}: the charts it writes as PNG files, drawn here
 * as SVG from the same figures, so its Markdown's images of them are left out.
 */
final class EnginesPage {

    private EnginesPage() {
    }

    /** @throws IllegalArgumentException when {@code root} is not an engines report */
    static PageContent content(JsonNode root, Path source) {
        EnginesResults results = EnginesResults.of(root, source);
        List<Figure> figures = new ArrayList<>();
        List<EngineCharts.NamedChart> charts = EngineCharts.draw(results, "");
        for (EngineCharts.NamedChart chart : charts) {
            figures.add(chart.stacked()
                    ? Figure.of(chart.name(), chart.chart(), Figure.WIDTH, Figure.HEIGHT * 3 / 2, "")
                    : Figure.of(chart.name(), chart.chart(), ""));
        }
        Set<String> drawn = charts.stream().map(EngineCharts.NamedChart::fileName).collect(Collectors.toSet());
        return new PageContent("Concurrency models compared", facts(root).asMap(), figures, drawn);
    }

    private static Facts facts(JsonNode root) {
        JsonNode machine = root.path("machine");
        return new Facts().run(root)
                .machine(Facts.text(machine, "cores"), Facts.text(machine, "java"), "")
                .loadAverage(root)
                .put("command", command(root.path("options")));
    }

    /** The script's command line with the options the results name, as its Markdown states it. */
    private static String command(JsonNode options) {
        if (!options.isObject()) {
            return "";
        }
        StringBuilder command = new StringBuilder();
        list(command, "ENGINES", options.path("engines"));
        list(command, "CONNECTIONS", options.path("connections"));
        list(command, "TLS_CONNECTIONS", options.path("tls_connections"));
        for (String name : List.of("duration", "warmup")) {
            String value = Facts.text(options, name);
            if (!value.isEmpty()) {
                command.append(name.toUpperCase(Locale.ROOT)).append('=').append(value).append(' ');
            }
        }
        return command.append("bench/compare-engines.sh").toString();
    }

    private static void list(StringBuilder command, String variable, JsonNode values) {
        if (values.isArray()) {
            List<String> items = new ArrayList<>();
            values.forEach(value -> items.add(value.asText()));
            command.append(variable).append("=\"").append(String.join(" ", items)).append("\" ");
        }
    }
}
