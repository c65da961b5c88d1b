package dev.ricochet.server.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges pages in the Prometheus text format (0.0.4) into one, each page's series labelled
 * with the worker process it comes from ({@code worker="0"}): a master's {@code /metrics}
 * ({@code --processes}). The format wants every line of a metric family together, under one
 * HELP and one TYPE line (Prometheus refuses a second TYPE line for a name), so samples are
 * gathered by family, in the order the families first appear, each family's HELP and TYPE
 * written once from the first page that has them.
 *
 * <p>Plain text work on pages Micrometer wrote: a sample line is its name, optionally
 * {@code {labels}}, then the value; the label goes first inside the braces, so the rest of the
 * line, label values and their escapes included, is left exactly as it was.
 */
public final class ExpositionMerger {

    /** What a sample's name may add to its family's: histogram, summary and counter parts. */
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_created", "_total", "_info");

    private final Map<String, Family> families = new LinkedHashMap<>();

    private static final class Family {
        private String help;
        private String type;
        private final StringBuilder samples = new StringBuilder();
    }

    /**
     * Adds every series of {@code page}.
     *
     * @param label the value of the {@code worker} label given to each of its samples; null
     *              to take them as they are (the master's own series)
     */
    public ExpositionMerger add(String page, String label) {
        String family = null;
        for (String line : page.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                family = nameAt(line, 7);
                Family f = families.computeIfAbsent(family, name -> new Family());
                if (line.startsWith("# HELP ") && f.help == null) {
                    f.help = line;
                } else if (line.startsWith("# TYPE ") && f.type == null) {
                    f.type = line;
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue; // another comment: nothing a scraper reads
            }
            String name = nameAt(line, 0);
            String owner = family != null && belongsTo(name, family) ? family : name;
            families.computeIfAbsent(owner, n -> new Family()).samples
                    .append(label == null ? line : labelled(line, name.length(), label)).append('\n');
        }
        return this;
    }

    /** The merged page. */
    public String render() {
        StringBuilder page = new StringBuilder();
        for (Family family : families.values()) {
            if (family.samples.isEmpty()) {
                continue; // a family every page declared and none had a sample of: nothing to say
            }
            if (family.help != null) {
                page.append(family.help).append('\n');
            }
            if (family.type != null) {
                page.append(family.type).append('\n');
            }
            page.append(family.samples);
        }
        return page.toString();
    }

    private static boolean belongsTo(String sample, String family) {
        if (sample.equals(family)) {
            return true;
        }
        return sample.startsWith(family) && SUFFIXES.contains(sample.substring(family.length()));
    }

    /** The metric name starting at {@code from}: up to a brace, a space or the end. */
    private static String nameAt(String line, int from) {
        int end = from;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
            end++;
        }
        return line.substring(from, end);
    }

    private static String labelled(String line, int nameEnd, String worker) {
        String label = MetricNames.TAG_WORKER + "=\"" + worker + "\"";
        if (nameEnd < line.length() && line.charAt(nameEnd) == '{') {
            boolean noOthers = nameEnd + 1 < line.length() && line.charAt(nameEnd + 1) == '}';
            return line.substring(0, nameEnd + 1) + label + (noOthers ? "" : ",") + line.substring(nameEnd + 1);
        }
        return line.substring(0, nameEnd) + "{" + label + "}" + line.substring(nameEnd);
    }
}
