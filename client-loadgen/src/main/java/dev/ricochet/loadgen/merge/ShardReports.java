package dev.ricochet.loadgen.merge;

import dev.ricochet.loadgen.report.ReportTrees;
import java.nio.file.Path;
import java.util.List;

/**
 * The shards' reports in one file, as {@link ReportTrees} finds them (a report written by
 * {@code --json FILE}, or a log that carries several after their text), each read as a shard's.
 */
final class ShardReports {

    private ShardReports() {
    }

    /**
     * @throws IllegalArgumentException when the file cannot be read, holds no report, or a
     *                                  report in it cannot be merged (the message names the
     *                                  file, and the report's place in it when it holds several)
     */
    static List<ShardReport> read(Path file) {
        return shards(ReportTrees.read(file));
    }

    /**
     * The reports in {@code text}, read from {@code file}.
     *
     * @throws IllegalArgumentException as {@link #read} does
     */
    static List<ShardReport> parse(String file, String text) {
        return shards(ReportTrees.parse(file, text));
    }

    private static List<ShardReport> shards(List<ReportTrees.Found> reports) {
        return reports.stream().map(r -> ShardReport.read(r.source(), r.tree())).toList();
    }
}
