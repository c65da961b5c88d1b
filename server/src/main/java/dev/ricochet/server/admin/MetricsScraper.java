package dev.ricochet.server.admin;

import dev.ricochet.server.metrics.MetricsPage;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Renders the {@code /metrics} page on a thread of its own. A scrape takes milliseconds of
 * CPU (tens on a saturated machine); on the admin event loop, every health probe arriving
 * meanwhile would wait behind it, and Kubernetes times probes out. One scrape at a time, a
 * few waiting: a flood of scrapes is refused, not queued without end.
 */
final class MetricsScraper implements AutoCloseable {

    /** Scrapes that may wait while one runs; Prometheus servers scraping one pod are few. */
    private static final int WAITING = 4;

    private final MetricsPage metrics;
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(WAITING), Thread.ofPlatform().name("ricochet-scrape").daemon().factory());

    MetricsScraper(MetricsPage metrics) {
        this.metrics = metrics;
    }

    /**
     * Renders the page in the format {@code accept} asks for, then hands it (null if rendering
     * failed) to {@code whenDone} on {@code loop}.
     *
     * @return false, with nothing done, when {@value #WAITING} scrapes are already waiting
     */
    boolean scrape(String accept, EventExecutor loop, Consumer<String> whenDone) {
        try {
            thread.execute(() -> {
                String page;
                try {
                    page = metrics.scrape(accept);
                } catch (RuntimeException e) {
                    page = null;
                }
                String rendered = page;
                try {
                    loop.execute(() -> whenDone.accept(rendered));
                } catch (RejectedExecutionException e) {
                    // The admin server is stopping: nobody waits for the page any more.
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
