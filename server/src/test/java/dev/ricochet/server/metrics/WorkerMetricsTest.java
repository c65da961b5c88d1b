package dev.ricochet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.kind.EngineKind;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

    @Test
    void keepsReportingAWorkersReadinessAfterAGarbageCollection() {
        AtomicBoolean ready = new AtomicBoolean(true);
        try (WorkerMetrics metrics = WorkerMetrics.prometheus(EngineKind.SEQUENTIAL)) {
            metrics.bindReady(0, ready::get); // a lambda nothing else holds
            System.gc();
            assertThat(metrics.scrape()).contains("ricochet_worker_ready{engine=\"sequential\",worker=\"0\"} 1.0");
            ready.set(false);
            assertThat(metrics.scrape()).contains("ricochet_worker_ready{engine=\"sequential\",worker=\"0\"} 0.0");
        }
    }

    @Test
    void countsRestartsPerWorker() {
        try (WorkerMetrics metrics = WorkerMetrics.prometheus(EngineKind.NETTY)) {
            metrics.restarts(1).increment();
            metrics.restarts(0);
            assertThat(metrics.scrape())
                    .contains("ricochet_worker_restarts_total{engine=\"netty\",worker=\"0\"} 0.0")
                    .contains("ricochet_worker_restarts_total{engine=\"netty\",worker=\"1\"} 1.0");
        }
    }
}
