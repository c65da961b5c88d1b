package dev.ricochet.loadgen;

import dev.ricochet.cli.Range;
import dev.ricochet.loadgen.run.LoadSpec;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which part of a run split over several load-generator processes this one runs: from
 * {@code --shard I/N}, or from {@code --shards N} and the index a Kubernetes Indexed Job sets
 * in each pod, so that every pod of the Job can run the same command line.
 */
final class ShardOption {

    /** Where an Indexed Job puts each pod's index, 0 to {@code completions - 1}. */
    static final String INDEX_VARIABLE = "JOB_COMPLETION_INDEX";
    /** The shards a run may be split over. */
    static final Range<Integer> COUNT = Range.between(1, 10_000);

    /** Digits only, a few of them: a sign, a blank or an overflow is a malformed value, not a number. */
    private static final Pattern INDEX_OF_COUNT = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

    private ShardOption() {
    }

    /**
     * @param shard          {@code --shard}'s value, or null
     * @param shards         {@code --shards}' value, already in {@link #COUNT}, or null
     * @param environment    the process's environment variables, by name
     * @param runConnections {@code --connections}: the run's, over every shard
     * @param runRate        {@code --rate}: the run's, over every shard
     * @return this process's part; the whole run when neither option is given
     * @throws IllegalArgumentException with a one-line reason, for bad usage
     */
    static LoadSpec.Shard resolve(String shard, Integer shards, UnaryOperator<String> environment, int runConnections,
            double runRate) {
        if (shard != null && shards != null) {
            throw new IllegalArgumentException("--shard: " + shard + " and --shards: " + shards
                    + " (expected: one of them; --shards takes the index from " + INDEX_VARIABLE + ")");
        }
        if (shard == null && shards == null) {
            return LoadSpec.Shard.whole(runConnections, runRate);
        }
        IndexOfCount given = shard != null ? IndexOfCount.parse(shard) : null;
        int count = given != null ? given.count() : shards;
        if (count > runConnections) {
            throw new IllegalArgumentException((given != null ? "--shard: " + shard : "--shards: " + shards)
                    + " leaves shards without a connection (expected: at most --connections " + runConnections
                    + " shards)");
        }
        int index = given != null ? given.index() : indexFromEnvironment(environment.apply(INDEX_VARIABLE), count);
        return new LoadSpec.Shard(index, count, runConnections, runRate);
    }

    private static int indexFromEnvironment(String value, int count) {
        int index = value != null && value.matches("\\d{1,9}") ? Integer.parseInt(value) : -1;
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(INDEX_VARIABLE + ": " + (value == null ? "unset" : "'" + value + "'")
                    + " (expected: 0.." + (count - 1) + ", this pod's index in an Indexed Job, with --shards " + count
                    + ")");
        }
        return index;
    }

    /** {@code --shard}'s value. */
    private record IndexOfCount(int index, int count) {

        static IndexOfCount parse(String text) {
            Matcher m = INDEX_OF_COUNT.matcher(text);
            if (m.matches()) {
                int index = Integer.parseInt(m.group(1));
                int count = Integer.parseInt(m.group(2));
                if (COUNT.contains(count) && index < count) {
                    return new IndexOfCount(index, count);
                }
            }
            throw new IllegalArgumentException("--shard: " + text + " (expected: I/N with 0 <= I < N, N in " + COUNT + ")");
        }
    }
}
