package dev.ricochet.benchreport;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ricochet.reporthtml.HtmlPage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code page KIND RESULTS.json RESULTS.md OUT.html}: a benchmark's results as one HTML page,
 * its facts and charts drawn from the JSON, then its Markdown whole, so that every figure on
 * the page is the results files' own. Written beside the Markdown, as the scripts do, its
 * relative links work as they are; written elsewhere, they are rebased onto it.
 */
final class PageCommand {

    static final String NAME = "page";
    static final String USAGE = "page KIND RESULTS.json RESULTS.md OUT.html (KIND: " + PageKind.labels() + ")";

    private PageCommand() {
    }

    /** @return 0 written, 1 a file could not be read or written, 2 bad usage */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 4) {
            err.println("usage: ricochet-bench-report " + USAGE);
            return 2;
        }
        Optional<PageKind> kind = PageKind.named(args.get(0));
        if (kind.isEmpty()) {
            err.println("ricochet-bench-report page: unknown kind '" + args.get(0) + "' (expected: " + PageKind.labels() + ")");
            return 2;
        }
        Path json = Path.of(args.get(1));
        Path markdown = Path.of(args.get(2));
        Path html = Path.of(args.get(3));
        try {
            for (Path file : List.of(json, markdown)) {
                if (!Files.isRegularFile(file)) {
                    throw new IOException("no such file: " + file);
                }
            }
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            PageContent content = kind.get().content(root, json);
            MarkdownResults results = MarkdownResults.read(markdown).withoutImages(content.drawnImages());
            page(content, results, markdown.getFileName().toString(), linkBase(markdown, html)).write(html);
            out.println(html);
            return 0;
        } catch (JacksonException e) {
            // Jackson's message goes on with where the object began, over lines: its first clause says it.
            String reason = firstLine(e.getOriginalMessage());
            int where = reason.indexOf(" (");
            err.println("ricochet-bench-report page: " + json + ": not JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + (where > 0 ? reason.substring(0, where) : reason));
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("ricochet-bench-report page: " + firstLine(e.getMessage()));
            return 1;
        }
    }

    /** The page: the title and facts in the header, the charts, then the Markdown. */
    static HtmlPage page(PageContent content, MarkdownResults results, String markdownName, String linkBase) {
        HtmlPage page = new HtmlPage(results.title().isEmpty() ? content.title() : results.title())
                .facts(content.facts());
        if (!content.figures().isEmpty()) {
            page.charts(content.figures());
        }
        return page.section("results", "The results, as " + markdownName + " gives them")
                .markdown(results.body(), linkBase);
    }

    /** What leads from the page's folder to the Markdown's ("" when they are in the same one), with a trailing slash. */
    static String linkBase(Path markdown, Path html) {
        Path from = html.toAbsolutePath().normalize().getParent();
        Path to = markdown.toAbsolutePath().normalize().getParent();
        String relative = from.relativize(to).toString().replace('\\', '/');
        return relative.isEmpty() ? "" : relative + "/";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "failed";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
