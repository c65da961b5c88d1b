package dev.ricochet.benchreport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README and of docs/*.md leads somewhere: to a file that exists
 * and, when it names a heading ({@code operations.md#tls}), to a heading that exists, by
 * GitHub's rule for a heading's anchor. Sections move between these files; a link left
 * behind fails the build instead of a reader.
 */
class DocumentationLinksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** {@code [text](target)} and {@code ![alt](target)}, with an optional title. */
    private static final Pattern LINK = Pattern.compile("!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsLeadsToAFileAndAHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : documents()) {
            for (String target : links(Files.readString(file))) {
                String problem = problem(file, target);
                if (problem != null) {
                    broken.add(ROOT.relativize(file) + ": (" + target + ") " + problem);
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void anchorsFollowGitHubsRule() {
        assertThat(anchor("C10K against the reference epoll server: `bench/c10k-vs-reference.sh`"))
                .isEqualTo("c10k-against-the-reference-epoll-server-benchc10k-vs-referencesh");
        assertThat(anchor("The knee, searched: `--find-rate`")).isEqualTo("the-knee-searched---find-rate");
        assertThat(anchor("The load generator's own pauses (2026-11-30)"))
                .isEqualTo("the-load-generators-own-pauses-2026-11-30");
        assertThat(anchor("Behind a load balancer: [PROXY](https://example.org) protocol"))
                .isEqualTo("behind-a-load-balancer-proxy-protocol");
    }

    @Test
    void aLinkToAMissingHeadingIsFound() throws IOException {
        assertThat(problem(ROOT.resolve("README.md"), "docs/operations.md#no-such-heading")).contains("no heading");
        assertThat(problem(ROOT.resolve("README.md"), "docs/no-such-file.md")).contains("no such file");
    }

    private static List<Path> documents() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(file -> file.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** The link targets of a Markdown text, outside fenced code blocks and code spans. */
    private static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher link = LINK.matcher(withoutCodeSpans(line));
            while (link.find()) {
                targets.add(link.group(2));
            }
        }
        return targets;
    }

    /** A code span may quote a link's syntax; a link's text may hold a code span, which is kept. */
    private static String withoutCodeSpans(String line) {
        return line.replaceAll("`[^`]*\\[[^`]*`", "``");
    }

    /** @return why {@code target}, linked from {@code from}, leads nowhere, or null when it leads somewhere */
    private String problem(Path from, String target) throws IOException {
        if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
            return null; // https:, mailto:: not this test's business
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path file = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!Files.exists(file)) {
            return "no such file: " + ROOT.relativize(file);
        }
        if (hash < 0) {
            return null;
        }
        String anchor = target.substring(hash + 1);
        if (!file.toString().endsWith(".md")) {
            return "an anchor into a file that is not Markdown";
        }
        return anchorsOf(file).contains(anchor) ? null : "no heading with the anchor #" + anchor + " in " + ROOT.relativize(file);
    }

    private Set<String> anchorsOf(Path file) throws IOException {
        Set<String> found = anchors.get(file);
        if (found != null) {
            return found;
        }
        found = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Files.readString(file).split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (!fenced && heading.matches()) {
                String anchor = anchor(heading.group(1));
                int times = seen.merge(anchor, 1, Integer::sum);
                found.add(times == 1 ? anchor : anchor + "-" + (times - 1));
            }
        }
        anchors.put(file, found);
        return found;
    }

    /**
     * GitHub's anchor of a heading: its text (a link's text, not its target) in lower case,
     * without anything but letters, digits, spaces, hyphens and underscores, spaces made hyphens.
     */
    static String anchor(String heading) {
        String text = LINK.matcher(heading).replaceAll("$1").toLowerCase(Locale.ROOT);
        StringBuilder anchor = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || Character.getType(c) == Character.NON_SPACING_MARK) {
                anchor.appendCodePoint(c);
            } else if (c == ' ') {
                anchor.append('-');
            }
        });
        return anchor.toString();
    }
}
