package dev.ricochet.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.loadgen.run.Counts;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.Stage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HdrLogReportTest {

    @TempDir
    Path work;

    @Test
    void logsTheCorrectedAndUncorrectedHistogramsOfMeasuredIntervalsOnly() throws IOException {
        Path file = work.resolve("run.hlog");
        try (HdrLogReport log = HdrLogReport.open(file)) {
            log.interval(interval(false, 1_000_000));
            log.interval(interval(true, 2_000_000));
        }
        List<EncodableHistogram> logged = read(file);
        assertThat(logged).extracting(EncodableHistogram::getTag).containsExactly("corrected", "uncorrected");
        assertThat(logged.get(0).getMaxValueAsDouble()).isBetween(1_990_000.0, 2_010_000.0);
    }

    @Test
    void timestampsEachIntervalInSecondsSinceTheEpochSoThatLogsOfSeveralProcessesLineUp() throws IOException {
        Path file = work.resolve("run.hlog");
        long start = 1_796_658_683_250L; // 2026-12-07T16:04:43.250Z
        try (HdrLogReport log = HdrLogReport.open(file)) {
            LoadRun.Interval interval = interval(true, 1_000_000);
            interval.latencies().corrected().setStartTimeStamp(start);
            interval.latencies().corrected().setEndTimeStamp(start + 1_000);
            log.interval(interval);
        }
        String line = Files.readAllLines(file).stream().filter(l -> l.startsWith("Tag=corrected,")).findFirst()
                .orElseThrow();
        assertThat(line.split(",")[1]).isEqualTo("1796658683.250");
        assertThat(read(file).get(0).getStartTimeStamp()).isEqualTo(start);
    }

    private static LoadRun.Interval interval(boolean measuring, long latencyNanos) {
        Latencies latencies = new Latencies();
        latencies.corrected().recordValue(latencyNanos);
        latencies.uncorrected().recordValue(latencyNanos);
        return new LoadRun.Interval(1, 1_000_000_000L, 0, 1, 1, measuring ? Stage.MEASURE : Stage.WARMUP, latencies,
                new Counts(), new Counts(), Map.of(), 0);
    }

    private static List<EncodableHistogram> read(Path file) throws FileNotFoundException {
        HistogramLogReader reader = new HistogramLogReader(file.toFile());
        List<EncodableHistogram> logged = new ArrayList<>();
        for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
            logged.add(h);
        }
        reader.close();
        return logged;
    }
}
