package dev.ricochet.loadgen.merge;

import dev.ricochet.loadgen.report.HistogramText;
import dev.ricochet.loadgen.report.LatencyFigures;
import dev.ricochet.loadgen.report.Timeline;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.Stage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The timeline of a merged run: the shards' points added up by wall-clock second. Each point
 * falls in the second nearest its end, counted from the earliest end of any shard's point.
 * Every run ticks half a second off the seconds of its measurement's start, so shards started
 * with one {@code --start-at} tick at the same instants (their clocks' skew apart) and their
 * points of one second fall together.
 *
 * <p>In each second: answered, shed, reconnects, errors and connections up add up (a shard's
 * connections up are those at its last point in the second); requests/s is the sum of each
 * shard's own rate in the second (its answered over the length of its points there: a shard's
 * last, short point can share a second with the one before); the latency's histogram is the
 * sum of the shards' and its figures are read from the sum; the stage is the furthest any
 * shard had reached (measure when any measured). The second's end is the latest of its points'
 * ends; its {@code second}, counted from the earliest start of a shard's run (a shard's first
 * point's end less its {@code second}); its length, the
 * longest a shard's points in it add up to.
 *
 * <p>Reports written before the load generator wrote a timeline have none: when any shard's
 * has none, neither has the merge, rather than one that leaves some shards out.
 */
final class TimelineMerge {

    private TimelineMerge() {
    }

    static List<Timeline.Point> of(List<ShardReport> shards) {
        if (shards.stream().anyMatch(s -> s.timeline().isEmpty())) {
            return List.of();
        }
        long firstEnd = Long.MAX_VALUE;
        long runStart = Long.MAX_VALUE;
        for (ShardReport shard : shards) {
            // Points are in order: a shard's first ends first, and says when its run started.
            Timeline.Point first = shard.timeline().getFirst();
            firstEnd = Math.min(firstEnd, first.endMillis());
            runStart = Math.min(runStart, first.endMillis() - Math.round(first.second() * 1e3));
        }
        // Second -> shard -> its points in that second; histograms are decoded one second at a time.
        TreeMap<Long, List<List<Timeline.Point>>> seconds = new TreeMap<>();
        for (int s = 0; s < shards.size(); s++) {
            for (Timeline.Point p : shards.get(s).timeline()) {
                long second = Math.round((p.endMillis() - firstEnd) / 1e3);
                List<List<Timeline.Point>> byShard = seconds.computeIfAbsent(second, k -> newShardLists(shards.size()));
                byShard.get(s).add(p);
            }
        }
        List<Timeline.Point> merged = new ArrayList<>(seconds.size());
        Histogram sum = new Latencies().corrected();
        for (List<List<Timeline.Point>> byShard : seconds.values()) {
            merged.add(add(shards, byShard, sum, runStart));
        }
        return merged;
    }

    private static List<List<Timeline.Point>> newShardLists(int shards) {
        List<List<Timeline.Point>> lists = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) {
            lists.add(new ArrayList<>(2));
        }
        return lists;
    }

    /**
     * One second's point, from each shard's points in it.
     *
     * @param sum a histogram to add the latencies in, emptied first (reused from second to second)
     */
    private static Timeline.Point add(List<ShardReport> shards, List<List<Timeline.Point>> byShard, Histogram sum,
            long runStartMillis) {
        sum.reset();
        long endMillis = Long.MIN_VALUE;
        double intervalSeconds = 0;
        Stage stage = Stage.CONNECT;
        int connectionsUp = 0;
        double perSecond = 0;
        long answered = 0;
        long shed = 0;
        long reconnects = 0;
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, 0L);
        }
        for (int s = 0; s < byShard.size(); s++) {
            List<Timeline.Point> points = byShard.get(s);
            if (points.isEmpty()) {
                continue;
            }
            long shardAnswered = 0;
            double shardSeconds = 0;
            for (Timeline.Point p : points) {
                endMillis = Math.max(endMillis, p.endMillis());
                if (p.stage().compareTo(stage) > 0) {
                    stage = p.stage();
                }
                shardAnswered += p.answered();
                shardSeconds += p.intervalSeconds();
                shed += p.shed();
                reconnects += p.reconnects();
                p.errors().forEach((kind, n) -> errors.merge(kind, n, Long::sum));
                if (p.histogram() != null) {
                    try {
                        HistogramText.addTo(sum, p.histogram());
                    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                        throw new IllegalArgumentException(shards.get(s).source() + ": the timeline's point of second "
                                + p.second() + ": 'histogram' is " + e.getMessage(), e);
                    }
                }
            }
            answered += shardAnswered;
            perSecond += shardSeconds > 0 ? shardAnswered / shardSeconds : 0;
            intervalSeconds = Math.max(intervalSeconds, shardSeconds);
            connectionsUp += points.getLast().connectionsUp();
        }
        return new Timeline.Point((endMillis - runStartMillis) / 1e3, endMillis, intervalSeconds, stage, connectionsUp,
                perSecond, answered, shed, reconnects, errors, LatencyFigures.of(sum),
                sum.getTotalCount() > 0 ? HistogramText.encode(sum) : null);
    }
}
