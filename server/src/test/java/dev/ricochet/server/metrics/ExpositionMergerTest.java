package dev.ricochet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.kind.EngineKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpositionMergerTest {

    private static final String WORKER_0 = """
            # HELP ricochet_connections_accepted_total Connections accepted
            # TYPE ricochet_connections_accepted_total counter
            ricochet_connections_accepted_total{engine="netty",protocol="echo"} 3.0
            # HELP jvm_threads_live_threads Live threads
            # TYPE jvm_threads_live_threads gauge
            jvm_threads_live_threads 17.0
            # HELP ricochet_prime_compute_seconds Time computing
            # TYPE ricochet_prime_compute_seconds histogram
            ricochet_prime_compute_seconds_bucket{engine="netty",le="0.001"} 1
            ricochet_prime_compute_seconds_count{engine="netty"} 1
            ricochet_prime_compute_seconds_sum{engine="netty"} 0.0002
            """;
    private static final String WORKER_1 = """
            # HELP ricochet_connections_accepted_total Connections accepted
            # TYPE ricochet_connections_accepted_total counter
            ricochet_connections_accepted_total{engine="netty",protocol="echo"} 5.0
            # HELP jvm_threads_live_threads Live threads
            # TYPE jvm_threads_live_threads gauge
            jvm_threads_live_threads 19.0
            """;

    @TempDir
    Path work;

    @Test
    void labelsEachPagesSamplesWithItsWorkerFirstAndKeepsTheRestOfTheLine() {
        String merged = new ExpositionMerger().add(WORKER_0, "0").add(WORKER_1, "1").render();
        assertThat(merged)
                .contains("ricochet_connections_accepted_total{worker=\"0\",engine=\"netty\",protocol=\"echo\"} 3.0\n")
                .contains("ricochet_connections_accepted_total{worker=\"1\",engine=\"netty\",protocol=\"echo\"} 5.0\n")
                .contains("jvm_threads_live_threads{worker=\"0\"} 17.0\n")
                .contains("ricochet_prime_compute_seconds_bucket{worker=\"0\",engine=\"netty\",le=\"0.001\"} 1\n");
    }

    @Test
    void writesEachFamilysHelpAndTypeOnceWithAllItsSamplesUnderThem() {
        List<String> lines = Arrays.asList(new ExpositionMerger().add(WORKER_0, "0").add(WORKER_1, "1").render()
                .split("\n"));
        int type = lines.indexOf("# TYPE ricochet_connections_accepted_total counter");
        assertThat(lines).containsOnlyOnce("# TYPE ricochet_connections_accepted_total counter",
                "# HELP jvm_threads_live_threads Live threads", "# TYPE jvm_threads_live_threads gauge");
        assertThat(lines.get(type - 1)).isEqualTo("# HELP ricochet_connections_accepted_total Connections accepted");
        assertThat(lines.get(type + 1)).contains("worker=\"0\"");
        assertThat(lines.get(type + 2)).contains("worker=\"1\"");
        assertThat(lines.get(type + 3)).isEqualTo("# HELP jvm_threads_live_threads Live threads");
    }

    @Test
    void takesTheMastersOwnSeriesAsTheyAre() {
        String master = """
                # HELP ricochet_worker_restarts_total Restarts
                # TYPE ricochet_worker_restarts_total counter
                ricochet_worker_restarts_total{engine="netty",worker="0"} 1.0
                """;
        assertThat(new ExpositionMerger().add(WORKER_1, "1").add(master, null).render())
                .contains("ricochet_worker_restarts_total{engine=\"netty\",worker=\"0\"} 1.0\n")
                .doesNotContain("worker=\"1\",engine=\"netty\",worker");
    }

    @Test
    void givesASampleWithEmptyBracesOrNoneItsLabelAlone() {
        String merged = new ExpositionMerger().add("up{} 1\nnothing_typed 2\n", "3").render();
        assertThat(merged).isEqualTo("up{worker=\"3\"} 1\nnothing_typed{worker=\"3\"} 2\n");
    }

    @Test
    void promtoolFindsNoProblemOnTwoServersPagesMergedWithTheMasters() throws Exception {
        ServerMetrics first = ServerMetrics.prometheus(EngineKind.THREAD_POOL);
        ServerMetrics second = ServerMetrics.prometheus(EngineKind.THREAD_POOL);
        WorkerMetrics master = WorkerMetrics.prometheus(EngineKind.THREAD_POOL);
        try (first; second; master) {
            first.echo().opened();
            first.bindThreadPool(() -> 1, () -> 0);
            second.bindThreadPool(() -> 0, () -> 0);
            master.restarts(0).increment();
            master.bindReady(0, () -> true);
            master.bindReady(1, () -> true);
            Path page = work.resolve("merged.txt");
            Files.writeString(page, new ExpositionMerger().add(first.scrape(null), "0").add(second.scrape(null), "1")
                    .add(master.scrape(), null).render());
            assertThat(PrometheusProofTest.promtool(page, "check", "metrics")).isEmpty();
        }
    }
}
