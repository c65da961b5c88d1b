package dev.ricochet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an HTML page is one self-contained file: readable offline, mailed alone, opened
 * years later. Every resource it loads must be inside it: a reference in an attribute that
 * loads something ({@code src}, {@code href} outside links, {@code srcset}, {@code poster},
 * {@code data}, ...), a CSS {@code url(...)} or an {@code @import} may only be a fragment of the
 * page itself ({@code #clip-0}, as SVG's clip paths and gradients use) or a {@code data:} URL.
 * Anything else is reported, be it {@code https://}, protocol-relative {@code //host/} or a file
 * beside the page.
 *
 * <p>Links that a reader follows ({@code <a href>}, {@code <area href>}) load nothing and are
 * allowed anywhere, as are namespace declarations ({@code xmlns="http://www.w3.org/2000/svg"}).
 *
 * <p>This reads the text, as a lint: quick, and it names the offending reference, but it does
 * not decode entities or run scripts. What the browser really fetched is checked by every
 * {@link HeadlessChromium} run, from Chromium's net log.
 */
public final class SelfContainedPage {

    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile(
            "<([A-Za-z][\\w:-]*)((?:\\s+[^\\s\"'>/=]+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`]+))?)*)\\s*/?>");
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "([^\\s\"'>/=]+)(?:\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`]+))?");
    private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*(['\"]?)(.*?)\\1\\s*\\)", Pattern.DOTALL);
    /** {@code @import "x.css"}; its {@code url(x.css)} form is a CSS_URL. */
    private static final Pattern CSS_IMPORT = Pattern.compile("@import\\s+(['\"])(.*?)\\1");
    /** Attributes whose value the browser loads. */
    private static final Set<String> LOADING = Set.of("src", "srcset", "href", "xlink:href", "poster", "data",
            "background", "action", "formaction", "manifest", "codebase", "longdesc", "lowsrc", "dynsrc");
    /** Elements whose {@code href} is followed by a reader, not loaded. */
    private static final Set<String> LINKS = Set.of("a", "area");

    private SelfContainedPage() {
    }

    /** Fails, naming each one, when the page at {@code html} references anything outside itself. */
    public static void assertSelfContained(Path html) {
        try {
            List<String> outside = outsideReferences(Files.readString(html, StandardCharsets.UTF_8));
            if (!outside.isEmpty()) {
                fail(html + " is not self-contained: it loads " + String.join(", ", outside));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each reference in {@code html} to a resource outside it, as it is written there; none when it is self-contained. */
    public static List<String> outsideReferences(String html) {
        String text = COMMENT.matcher(html).replaceAll(" ");
        List<String> outside = new ArrayList<>();
        Matcher tag = TAG.matcher(text);
        while (tag.find()) {
            String element = tag.group(1).toLowerCase(Locale.ROOT);
            Matcher attribute = ATTRIBUTE.matcher(tag.group(2));
            while (attribute.find()) {
                String name = attribute.group(1).toLowerCase(Locale.ROOT);
                String value = unquote(attribute.group(2));
                boolean followed = LINKS.contains(element) && name.endsWith("href");
                if (value != null && LOADING.contains(name) && !followed && !inside(value)) {
                    outside.add("<" + element + " " + name + "=\"" + value + "\">");
                }
            }
        }
        Matcher url = CSS_URL.matcher(text);
        while (url.find()) {
            if (!inside(url.group(2))) {
                outside.add("url(" + url.group(2).strip() + ")");
            }
        }
        Matcher imported = CSS_IMPORT.matcher(text);
        while (imported.find()) {
            if (!inside(imported.group(2))) {
                outside.add("@import " + imported.group(2));
            }
        }
        return outside;
    }

    /** A fragment of the page itself, a data: URL, or nothing at all. */
    private static boolean inside(String reference) {
        String value = reference.strip();
        return value.isEmpty() || value.startsWith("#") || value.regionMatches(true, 0, "data:", 0, 5);
    }

    private static String unquote(String value) {
        if (value != null && value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
