package dev.ricochet.server.engine.blocking;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A fixed pool of worker threads, each serving one connection from greeting to close, and a
 * bounded queue of accepted connections waiting for a worker. When both are full the new
 * connection is refused (closed at once and counted): refusing tells the client now, where
 * waiting would leave it connected and unanswered for as long as the busiest client stays.
 */
final class ThreadPoolDispatcher implements Dispatcher {

    private final ThreadPoolExecutor pool;
    private final String description;

    /**
     * @param threads workers, 1 or more
     * @param queue   connections that may wait for a worker, 0 or more
     */
    ThreadPoolDispatcher(int threads, int queue) {
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, waiting,
                Thread.ofPlatform().name("ricochet-pool-", 1).factory(), new ThreadPoolExecutor.AbortPolicy());
        description = threads + " worker(s), " + queue + " connection(s) may wait";
    }

    @Override
    public boolean dispatch(BlockingConnection connection) {
        try {
            pool.execute(connection);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public String description() {
        return description;
    }

    int busyThreads() {
        return pool.getActiveCount();
    }

    int queued() {
        return pool.getQueue().size();
    }

    @Override
    public void shutdown() {
        pool.shutdownNow();
    }
}
