package dev.ricochet.server.master;

import dev.ricochet.server.metrics.ExpositionMerger;
import dev.ricochet.server.metrics.MetricsPage;
import dev.ricochet.server.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The master's {@code /metrics}: every ready worker's page, scraped at once over loopback, its
 * series labelled {@code worker="<index>"}, then the master's own ({@link WorkerMetrics}). One
 * page for one scrape target, so that Prometheus scrapes a pod of workers as it scrapes a
 * single server; sums over the {@code worker} label give the pod's totals. A worker that does
 * not answer within the timeout is left off this page and counted
 * ({@code ricochet_worker_scrape_errors_total}); its counters restart from 0 in its replacement,
 * which Prometheus's {@code rate()} reads as a counter reset.
 *
 * <p>Always the Prometheus text format (0.0.4), whatever the scraper prefers: the workers'
 * pages are asked for in it, and the merge rewrites text of that one format.
 */
final class WorkersPage implements MetricsPage {

    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final List<Worker> workers;
    private final WorkerMetrics metrics;
    private final Duration timeout;

    WorkersPage(List<Worker> workers, WorkerMetrics metrics, Duration timeout) {
        this.workers = workers;
        this.metrics = metrics;
        this.timeout = timeout;
    }

    @Override
    public boolean enabled() {
        return metrics.enabled();
    }

    @Override
    public String contentType(String accept) {
        return TEXT;
    }

    @Override
    public String scrape(String accept) {
        List<Worker> asked = new ArrayList<>();
        List<Future<LoopbackHttp.Response>> pages = new ArrayList<>();
        try (ExecutorService scrapes = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Worker worker : workers) {
                if (worker.ready) { // one starting has no page yet; asking it would count an error
                    asked.add(worker);
                    pages.add(scrapes.submit(() -> LoopbackHttp.get(worker.adminAddress(), "/metrics", timeout)));
                }
            }
            ExpositionMerger merged = new ExpositionMerger();
            for (int i = 0; i < asked.size(); i++) {
                String page = pageOf(pages.get(i));
                if (page == null) {
                    asked.get(i).scrapeErrors.increment();
                } else {
                    merged.add(page, String.valueOf(asked.get(i).index));
                }
            }
            return merged.add(metrics.scrape(), null).render();
        }
    }

    private static String pageOf(Future<LoopbackHttp.Response> page) {
        try {
            LoopbackHttp.Response response = page.get();
            return response.status() == 200 ? response.body() : null;
        } catch (ExecutionException e) {
            return null; // not answered in time, or gone meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
