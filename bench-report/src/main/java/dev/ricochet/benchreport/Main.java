package dev.ricochet.benchreport;

import dev.ricochet.benchreport.headline.HeadlineCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code java -jar ricochet-bench-report.jar ENGINES.json OUTPUT-DIR}: draws the charts of
 * {@code bench/compare-engines.sh} and prints the files written. Exit codes: 0 written,
 * 1 the report could not be read or a chart not written, 2 bad usage.
 * {@code headline RESULTS-DIR README.md}: see {@link HeadlineCommand}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals(HeadlineCommand.NAME)) {
            return HeadlineCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length != 2) {
            err.println("usage: ricochet-bench-report ENGINES.json OUTPUT-DIR");
            err.println("       ricochet-bench-report headline RESULTS-DIR README.md");
            return 2;
        }
        // Before AWT loads: benchmark machines have no display.
        System.setProperty("java.awt.headless", "true");
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
