package dev.ricochet.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.loadgen.run.Counts;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.Stage;
import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final long SECOND = 1_000_000_000L;

    private final Latencies latencies = new Latencies();
    private final Counts counts = new Counts();

    @Test
    void eachPointCountsTheErrorsAndReconnectsOfItsOwnInterval() {
        Timeline timeline = new Timeline(true);
        timeline.add(interval(1, Stage.CONNECT, errors(2, 0), 0));
        timeline.add(interval(2, Stage.WARMUP, errors(5, 1), 3));
        timeline.add(interval(3, Stage.MEASURE, errors(5, 1), 3));

        assertThat(timeline.points()).extracting(p -> p.errors().get(ErrorKind.REFUSED)).containsExactly(2L, 3L, 0L);
        assertThat(timeline.points()).extracting(p -> p.errors().get(ErrorKind.RESET)).containsExactly(0L, 1L, 0L);
        assertThat(timeline.points()).extracting(Timeline.Point::errorsTotal).containsExactly(2L, 4L, 0L);
        assertThat(timeline.points()).extracting(Timeline.Point::reconnects).containsExactly(0L, 3L, 0L);
        assertThat(timeline.points()).extracting(Timeline.Point::stage)
                .containsExactly(Stage.CONNECT, Stage.WARMUP, Stage.MEASURE);
        assertThat(timeline.points().get(0).errors()).hasSize(ErrorKind.values().length);
    }

    @Test
    void aPointKeepsItsFiguresOnceTheRunReusesTheIntervalsHistogramsAndCounts() {
        Timeline timeline = new Timeline(true);
        latencies.corrected().recordValue(2_000_000);
        latencies.corrected().recordValue(4_000_000);
        Histogram recorded = latencies.corrected().copy();
        LoadRun.Interval interval = interval(1, Stage.MEASURE, errors(0, 0), 0);
        counts.add(Counts.of(0, 0, 7, 2, 0, 0, 0, 0, 0, 0, 0));
        timeline.add(interval);

        latencies.reset();
        counts.reset();

        Timeline.Point p = timeline.points().get(0);
        assertThat(p.answered()).isEqualTo(7);
        assertThat(p.shed()).isEqualTo(2);
        assertThat(p.requestsPerSecond()).isEqualTo(7.0);
        assertThat(p.latency()).isEqualTo(LatencyFigures.of(recorded));
        assertThat(p.latency().samples()).isEqualTo(2);
        assertThat(HistogramText.decode(p.histogram())).isEqualTo(recorded);
        assertThat(p.second()).isEqualTo(1.0);
        assertThat(p.endMillis()).isEqualTo(1_000);
        assertThat(p.intervalSeconds()).isEqualTo(1.0);
        assertThat(p.connectionsUp()).isEqualTo(10);
    }

    @Test
    void aPointWithoutLatencySamplesHasNoHistogram() {
        Timeline timeline = new Timeline(true);
        timeline.add(interval(1, Stage.WARMUP, errors(0, 0), 0));

        Timeline.Point p = timeline.points().get(0);
        assertThat(p.histogram()).isNull();
        assertThat(p.latency().samples()).isZero();
        assertThat(p.latency().millis()).isEmpty();
        assertThat(p.latency().json().toString()).isEqualTo("{\"samples\":0}");
    }

    @Test
    void carriesTheLatencyTheReportLeadsWithCorrectedInOpenLoopAsMeasuredInClosedLoop() {
        latencies.corrected().recordValue(9_000_000);
        latencies.uncorrected().recordValue(1_000_000);
        Timeline open = new Timeline(true);
        Timeline closed = new Timeline(false);
        open.add(interval(1, Stage.MEASURE, errors(0, 0), 0));
        closed.add(interval(1, Stage.MEASURE, errors(0, 0), 0));

        assertThat(HistogramText.decode(open.points().get(0).histogram())).isEqualTo(latencies.corrected());
        assertThat(HistogramText.decode(closed.points().get(0).histogram())).isEqualTo(latencies.uncorrected());
    }

    private LoadRun.Interval interval(int second, Stage stage, Map<ErrorKind, Long> errorsSoFar, long reconnectsSoFar) {
        return new LoadRun.Interval(second, SECOND, second * 1_000L, 10, 10, stage, latencies, counts, new Counts(),
                errorsSoFar, reconnectsSoFar);
    }

    /** Errors so far: {@code refused} refused, {@code reset} reset, none of the other kinds. */
    private static Map<ErrorKind, Long> errors(long refused, long reset) {
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, 0L);
        }
        errors.put(ErrorKind.REFUSED, refused);
        errors.put(ErrorKind.RESET, reset);
        return errors;
    }
}
