package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server's packages form layers: a package may use the ones below it, never one that uses
 * it back, directly or through others. A value that several layers share lives below them all
 * (as {@code kind.EngineKind} does). Read from the source tree: every reference to a type of
 * another package, in an import, a static import or a qualified name, is a dependency.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final String ROOT = "dev.ricochet.server";
    /** A package of the server, then a type name (upper case): the reference's package is group 1. */
    private static final Pattern REFERENCE = Pattern.compile(
            "\\b(" + Pattern.quote(ROOT) + "(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");

    @Test
    void packagesDependOnEachOtherWithoutACycle() throws IOException {
        assertThat(cycles(dependencies())).as("cycles between the server's packages").isEmpty();
    }

    @Test
    void readsTheDependenciesOfEveryPackage() throws IOException {
        Map<String, Set<String>> dependencies = dependencies();
        assertThat(dependencies).containsKeys(ROOT, "engine", "engine.blocking", "config");
        assertThat(dependencies.get("engine")).contains("config", "metrics");
        assertThat(dependencies.get(ROOT)).contains("engine.blocking");
    }

    @Test
    void findsEveryCycleOfAGraph() {
        Map<String, Set<String>> graph = Map.of(
                "a", Set.of("b"), "b", Set.of("c", "d"), "c", Set.of("a"), "d", Set.of("b"), "e", Set.of("a"));
        assertThat(cycles(graph)).containsExactly("a -> b -> c -> a", "b -> d -> b");
    }

    /** Package -> the other server packages its sources refer to; names relative to the root package. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> dependencies = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve(ROOT.replace('.', '/')))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher declared = PACKAGE.matcher(source);
                assertThat(declared.find()).as("package declaration of %s", file).isTrue();
                String from = relative(declared.group(1));
                Set<String> used = dependencies.computeIfAbsent(from, p -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(source.substring(declared.end()));
                while (reference.find()) {
                    String to = relative(reference.group(1));
                    if (!to.equals(from)) {
                        used.add(to);
                    }
                }
            }
        }
        return dependencies;
    }

    /** {@code engine.blocking} for dev.ricochet.server.engine.blocking; the root package by its full name. */
    private static String relative(String name) {
        return name.equals(ROOT) ? ROOT : name.substring(ROOT.length() + 1);
    }

    /**
     * Every elementary cycle, each once, starting at its least node: "a -> b -> a". The graph
     * is a dozen packages, so a depth-first search from each node is quick.
     */
    static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> cycles = new ArrayList<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            Deque<String> path = new ArrayDeque<>(List.of(start));
            walk(graph, start, path, cycles);
        }
        return cycles;
    }

    /** Extends the path through nodes after its start (so that each cycle is found once). */
    private static void walk(Map<String, Set<String>> graph, String start, Deque<String> path, List<String> cycles) {
        for (String next : new TreeSet<>(graph.getOrDefault(path.peekLast(), Set.of()))) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (next.compareTo(start) > 0 && !path.contains(next)) {
                path.addLast(next);
                walk(graph, start, path, cycles);
                path.removeLast();
            }
        }
    }
}
