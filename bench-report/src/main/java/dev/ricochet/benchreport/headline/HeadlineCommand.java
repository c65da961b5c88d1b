package dev.ricochet.benchreport.headline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code headline RESULTS-DIR FILE}: rewrites the headline table of {@code FILE} (the README),
 * between its {@code <!-- headline:begin -->} and {@code <!-- headline:end -->} lines, from the
 * JSON in {@code RESULTS-DIR}. The benchmark scripts that write those JSON files run it last,
 * so that the README never shows a figure the results do not hold; {@code HeadlineTest} fails
 * the build when the two disagree.
 */
public final class HeadlineCommand {

    /** The first argument that selects this command. */
    public static final String NAME = "headline";
    static final String USAGE = "usage: ricochet-bench-report headline RESULTS-DIR README.md";

    private HeadlineCommand() {
    }

    /**
     * @param args the arguments after {@link #NAME}
     * @return 0 written (or already up to date), 1 a file could not be read or written, 2 bad usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println(USAGE);
            return 2;
        }
        Path results = Path.of(args[0]);
        Path file = Path.of(args[1]);
        try {
            String before = Files.readString(file);
            String after = MarkedSection.replace(before, table(results, file));
            if (after.equals(before)) {
                out.println(file + ": headline table already up to date");
            } else {
                Files.writeString(file, after);
                out.println(file + ": headline table rewritten from " + results);
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("ricochet-bench-report headline: " + file + ": " + e.getMessage());
            return 1;
        }
    }

    /** The table {@code file} should hold, its links relative to {@code file}'s folder. */
    static String table(Path results, Path file) throws IOException {
        return HeadlineTable.render(HeadlineRows.read(results), linkPrefix(results, file));
    }

    private static String linkPrefix(Path results, Path file) {
        Path folder = file.toAbsolutePath().normalize().getParent();
        String relative = folder.relativize(results.toAbsolutePath().normalize()).toString().replace('\\', '/');
        return relative.isEmpty() ? "." : relative;
    }
}
