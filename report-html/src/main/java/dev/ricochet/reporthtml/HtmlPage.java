package dev.ricochet.reporthtml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * One report as one self-contained HTML page: its style inline, its charts inline SVG, no
 * script, nothing fetched, so that it reads the same offline, attached to a ticket or opened
 * years later. Laid out for the first screen to tell the story: the title, the facts of the run
 * and the verdict in a header, then the charts two by two (two rows fit a 1366x768 screen),
 * then tables and text.
 *
 * <p>Built in reading order; every text given is escaped, but for {@link #markdown}, whose
 * HTML comes from CommonMark with raw HTML escaped too.
 */
public final class HtmlPage {

    /** A URL that a page's folder does not change: with a scheme, from the root, or an anchor in the page. */
    private static final Pattern ABSOLUTE_URL = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:|/|#");
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9][0-9,]*(\\.[0-9]+)?( ?[a-zA-Zµ%/]{0,12})?x?");
    private static final String STYLE = """
            *{box-sizing:border-box}
            body{margin:0;padding:8px 16px 24px;font:14px/1.4 "DejaVu Sans",Arial,Helvetica,sans-serif;color:#222;background:#fff}
            header{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px;margin-bottom:6px}
            h1{font-size:19px;margin:0}
            h2{font-size:16px;margin:18px 0 6px;border-bottom:1px solid #ddd}
            .facts{margin:0;padding:0;display:flex;flex-wrap:wrap;gap:2px 14px;color:#444;font-size:13px}
            .facts li{list-style:none}
            .facts b{font-weight:600;color:#222}
            .verdict{flex-basis:100%;padding:5px 10px;border-radius:4px;font-weight:600}
            .verdict.passed{background:#e3f4e1;color:#1b5e20;border:1px solid #a5d6a7}
            .verdict.failed{background:#fde2e1;color:#8e1b16;border:1px solid #ef9a9a}
            .charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:8px 12px}
            figure{margin:0}
            figure svg{width:100%;height:auto;display:block}
            figcaption{font-size:12px;color:#555;margin-top:2px}
            table{border-collapse:collapse;margin:4px 0 10px;font-size:13px}
            th,td{border:1px solid #ddd;padding:2px 8px;text-align:left}
            th{background:#f4f4f4}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            section{max-width:1400px}
            footer{margin-top:20px;color:#777;font-size:12px}
            """;

    private final String title;
    private final StringBuilder header = new StringBuilder();
    private final StringBuilder body = new StringBuilder();
    private boolean inSection;

    /** @param title the page's title, its first heading too */
    public HtmlPage(String title) {
        this.title = title;
    }

    /** The facts of the run, in the header: a name and its value each, in order. */
    public HtmlPage facts(Map<String, String> facts) {
        header.append("<ul class=\"facts\" id=\"facts\">");
        facts.forEach((name, value) -> header.append("<li><b>").append(escape(name)).append("</b> ")
                .append(escape(value)).append("</li>"));
        header.append("</ul>");
        return this;
    }

    /**
     * The verdict, in the header, green or red.
     *
     * @param passed whether the run passed
     * @param text   what is said: PASSED, or FAILED with the reason
     */
    public HtmlPage verdict(boolean passed, String text) {
        header.append("<div class=\"verdict ").append(passed ? "passed" : "failed").append("\" id=\"verdict\">")
                .append(escape(text)).append("</div>");
        return this;
    }

    /** A row of charts, two to a row; more wrap to the next. */
    public HtmlPage charts(List<Figure> figures) {
        body.append("<div class=\"charts\">\n");
        for (Figure f : figures) {
            body.append("<figure class=\"chart\" id=\"").append(escape(f.id())).append("\" data-series=\"")
                    .append(escape(String.join("|", f.series()))).append("\">\n").append(f.svg()).append('\n');
            if (!f.caption().isEmpty()) {
                body.append("<figcaption>").append(escape(f.caption())).append("</figcaption>\n");
            }
            body.append("</figure>\n");
        }
        body.append("</div>\n");
        return this;
    }

    /** Starts a section, which runs to the next one or the end. */
    public HtmlPage section(String id, String heading) {
        closeSection();
        body.append("<section id=\"").append(escape(id)).append("\">\n<h2>").append(escape(heading)).append("</h2>\n");
        inSection = true;
        return this;
    }

    public HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    public HtmlPage table(Table table) {
        body.append("<table id=\"").append(escape(table.id())).append("\">\n<thead><tr>");
        for (String column : table.header()) {
            body.append("<th>").append(escape(column)).append("</th>");
        }
        body.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            body.append("<tr>");
            for (String cell : row) {
                body.append(NUMBER.matcher(cell).matches() ? "<td class=\"n\">" : "<td>").append(escape(cell))
                        .append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody>\n</table>\n");
        return this;
    }

    /**
     * Markdown (CommonMark with GitHub's tables), such as a benchmark's results file; raw HTML in
     * it is escaped, and links are kept as written (relative ones resolve beside the page).
     */
    public HtmlPage markdown(String markdown) {
        return markdown(markdown, "");
    }

    /**
     * Markdown, as {@link #markdown(String)}, written in another folder than the page: its
     * relative links and images are prefixed with {@code linkBase} (such as {@code ../results/}),
     * so that they still lead where the Markdown meant from where the page lies. Links with a
     * scheme, absolute paths and anchors are kept as written.
     */
    public HtmlPage markdown(String markdown, String linkBase) {
        Parser parser = Parser.builder().extensions(List.of(TablesExtension.create())).build();
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(List.of(TablesExtension.create())).escapeHtml(true)
                .sanitizeUrls(true).attributeProviderFactory(context -> (node, tag, attributes) -> {
                    rebase(attributes, "href", linkBase);
                    rebase(attributes, "src", linkBase);
                }).build();
        body.append(renderer.render(parser.parse(markdown)));
        return this;
    }

    private static void rebase(Map<String, String> attributes, String name, String linkBase) {
        String url = attributes.get(name);
        if (url != null && !linkBase.isEmpty() && !url.isEmpty() && !ABSOLUTE_URL.matcher(url).lookingAt()) {
            attributes.put(name, linkBase + url);
        }
    }

    /** The page, whole. */
    public String render() {
        closeSection();
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<header>\n<h1>" + escape(title) + "</h1>\n"
                + header + "\n</header>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
    }

    /** Writes the page to {@code file}, replacing it. */
    public void write(Path file) throws IOException {
        Files.writeString(file, render(), StandardCharsets.UTF_8);
    }

    private void closeSection() {
        if (inSection) {
            body.append("</section>\n");
            inSection = false;
        }
    }

    /** Text as HTML: the five characters that mean markup, escaped. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
