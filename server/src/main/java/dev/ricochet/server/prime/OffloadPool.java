package dev.ricochet.server.prime;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads that compute primality off the event loops, fed from one shared,
 * bounded queue.
 *
 * <p>Why not a Netty {@code DefaultEventExecutorGroup}: each of its executors has its own
 * queue, so a request handed to an executor that is busy for seconds with a large prime
 * waits seconds, even while the other workers idle. With one shared queue the next free
 * worker takes the next request, so a single busy connection spreads over every worker and
 * a heavy request never holds up light ones that could run elsewhere. The threads are
 * Netty's (FastThreadLocal-aware), and a full queue is refused at once so that the caller
 * can answer {@code error: busy} (load shedding).
 *
 * <p>"Waiting" means waiting for a worker: a task handed to an idle worker and not yet
 * picked up does not count, so a burst never sees {@code busy} while workers are idle.
 */
public final class OffloadPool {

    private final int threads;
    private final int queueCapacity;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final ThreadPoolExecutor executor;

    /**
     * @param threads       worker threads, at least 1
     * @param queueCapacity requests that may wait for a worker, at least 1
     */
    public OffloadPool(int threads, int queueCapacity) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: >= 1)");
        }
        this.threads = threads;
        this.queueCapacity = queueCapacity;
        // Room for the hand-offs to idle workers on top of the waiting requests, so that the
        // executor itself only refuses when concurrent submitters overshoot the check below.
        // Linked, not an array: a large --offload-queue costs nothing until it fills.
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(queueCapacity + threads), new DefaultThreadFactory("ricochet-offload"),
                new ThreadPoolExecutor.AbortPolicy()) {
            @Override
            protected void beforeExecute(Thread worker, Runnable task) {
                queued.decrementAndGet();
                running.incrementAndGet();
            }

            @Override
            protected void afterExecute(Runnable task, Throwable failure) {
                running.decrementAndGet();
            }
        };
        executor.prestartAllCoreThreads();
    }

    /** Queues the task, or returns null at once when {@code queueCapacity} requests wait. */
    Future<?> trySubmit(Runnable task) {
        if (waiting() >= queueCapacity) {
            return null;
        }
        queued.incrementAndGet();
        try {
            return executor.submit(task);
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            return null;
        }
    }

    /**
     * Stops a task nobody waits for: interrupts it if it runs, and gives its queue place
     * back at once if it still waits.
     */
    void cancel(Future<?> task) {
        task.cancel(true);
        if (task instanceof Runnable waitingTask && executor.remove(waitingTask)) {
            queued.decrementAndGet();
        }
    }

    /** Requests waiting for a worker right now (not counting those handed to idle ones). */
    public int waiting() {
        int idle = threads - running.get();
        return Math.max(0, queued.get() - idle);
    }

    public int threads() {
        return threads;
    }

    /** Worker threads alive now: {@link #threads()} unless one died and is not yet replaced. */
    int liveThreads() {
        return executor.getPoolSize();
    }

    /** Computations running right now. */
    public int running() {
        return running.get();
    }

    /** Interrupts running computations, drops waiting ones and waits briefly for the threads. */
    public void shutdownNow() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
