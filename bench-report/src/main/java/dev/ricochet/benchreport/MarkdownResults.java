package dev.ricochet.benchreport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark's Markdown results file, as its page shows it: its first heading is the page's
 * title, and the rest is rendered as written, so that every table and sentence on the page is
 * the file's own.
 *
 * @param title the text of the file's {@code # } heading when it starts with one, else empty
 * @param body  the file without that heading
 */
record MarkdownResults(String title, String body) {

    /** A paragraph that is one image: {@code ![text](file)}. */
    private static final Pattern IMAGE_LINE = Pattern.compile("!\\[[^\\]]*\\]\\(([^)\\s]+)\\)\\s*");

    static MarkdownResults read(Path file) throws IOException {
        return of(Files.readString(file, StandardCharsets.UTF_8));
    }

    static MarkdownResults of(String markdown) {
        String text = markdown.replace("\r\n", "\n");
        if (text.startsWith("# ")) {
            int end = text.indexOf('\n');
            return end < 0 ? new MarkdownResults(text.substring(2).strip(), "")
                    : new MarkdownResults(text.substring(2, end).strip(), text.substring(end + 1));
        }
        return new MarkdownResults("", text);
    }

    /**
     * Without the images of {@code files}, and without a heading that they leave with nothing
     * under it: the page draws those charts itself, from the same figures, at its top.
     */
    MarkdownResults withoutImages(Set<String> files) {
        List<String> kept = new ArrayList<>();
        for (String line : body.split("\n", -1)) {
            Matcher image = IMAGE_LINE.matcher(line);
            if (!(image.matches() && files.contains(image.group(1)))) {
                kept.add(line);
            }
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            if (!(kept.get(i).startsWith("#") && emptyUnder(kept, i))) {
                lines.add(kept.get(i));
            }
        }
        return new MarkdownResults(title, String.join("\n", lines).strip() + "\n");
    }

    /** Whether only blank lines follow the heading at {@code index}, up to the next one of its level or higher, or the end. */
    private static boolean emptyUnder(List<String> lines, int index) {
        int level = level(lines.get(index));
        for (int i = index + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#") && level(line) <= level) {
                return true;
            }
            if (!line.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static int level(String heading) {
        int level = 0;
        while (level < heading.length() && heading.charAt(level) == '#') {
            level++;
        }
        return level;
    }
}
