package dev.ricochet.benchreport;

import dev.ricochet.benchreport.headline.HeadlineCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar ricochet-bench-report.jar ENGINES.json OUTPUT-DIR}: draws the charts of
 * {@code bench/compare-engines.sh} and prints the files written; {@code ... page KIND ...}: a
 * benchmark's HTML page ({@link PageCommand}); {@code headline RESULTS-DIR README.md}: the
 * README's headline table ({@link HeadlineCommand}). Exit codes: 0 written, 1 the report could
 * not be read or a chart not written, 2 bad usage.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals(HeadlineCommand.NAME)) {
            return HeadlineCommand.run(List.of(args).subList(1, args.length).toArray(String[]::new), out, err);
        }
        // Before AWT loads: benchmark machines have no display.
        System.setProperty("java.awt.headless", "true");
        if (args.length > 0 && args[0].equals(PageCommand.NAME)) {
            return PageCommand.run(List.of(args).subList(1, args.length), out, err);
        }
        if (args.length != 2) {
            err.println("usage: ricochet-bench-report ENGINES.json OUTPUT-DIR | " + PageCommand.USAGE + " | headline"
                    + " RESULTS-DIR README.md");
            return 2;
        }
        try {
            for (Path file : EngineCharts.writeAll(EnginesResults.read(Path.of(args[0])), Path.of(args[1]))) {
                out.println(file);
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("ricochet-bench-report: " + e.getMessage());
            return 1;
        }
    }
}
