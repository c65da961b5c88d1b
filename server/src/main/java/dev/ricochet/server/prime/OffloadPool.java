package dev.ricochet.server.prime;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker threads that compute primality off the event loops, shared fairly by the
 * connections: each connection queues its requests in a {@link Lane} of its own, and a worker
 * that becomes free takes the next request of the lane that has received the least work so
 * far, counting the request it would take next: work is virtual time, a lane's next request
 * finishes at its lane's time plus that request's estimated cost ({@link Work#costNanos}), and
 * the earliest finish goes first (fair queueing weighted by cost; the estimate is replaced by
 * the measured cost when the request finishes; an idle lane starts level with the busiest, it
 * saves up no credit). A client that keeps both workers busy with second-long trial divisions
 * therefore does not make another client's millisecond request wait behind its queue: the
 * light request is taken by the next free worker.
 *
 * <p>Why not a Netty {@code DefaultEventExecutorGroup}: each of its executors has its own queue,
 * so a request handed to an executor that is busy for seconds waits seconds while the others
 * idle; and not a plain {@code ThreadPoolExecutor}: its one first-come first-served queue lets
 * the client that queued most set everyone's latency (docs/operations.md).
 *
 * <p>"Waiting" means waiting for a worker: a request handed to an idle worker and not yet
 * picked up does not count, so a burst never sees {@code busy} while workers are idle. A full
 * queue is refused at once, so that the caller can answer {@code error: busy} (load shedding).
 * The threads are Netty's (FastThreadLocal-aware). One lock guards the lanes; it is taken once
 * to queue a request and once by the worker that takes it, as a blocking queue would be.
 */
public final class OffloadPool {

    /** What a lane's requests are computed with. */
    interface Work {

        /** About how long computing {@code number} takes, in nanoseconds; called under the pool's lock. */
        long costNanos(long number);

        /**
         * Runs on a worker: computes {@code number} and hands its reply back to the connection;
         * must not throw.
         *
         * @param seq      the reply's place in the connection's order
         * @param waitedNanos how long it waited for a worker
         */
        void compute(long number, int seq, long waitedNanos);
    }

    /** One connection's queue, and what it has received of the workers so far. Guarded by the pool's lock. */
    final class Lane {
        private final long id;
        private final Work work;
        private final RequestQueue waiting = new RequestQueue();
        /** Virtual start time of its next request: the work it has received, in nanoseconds. */
        private long tag;
        /** Estimated cost of the request at the head of its queue. */
        private long nextCost;
        private boolean ready;
        private boolean closed;

        private Lane(long id, Work work) {
            this.id = id;
            this.work = work;
        }

        /** Where a lane stands in line: the virtual time its next request would finish. */
        private long finishTag() {
            return tag + nextCost;
        }
    }

    private static final Comparator<Lane> FAIREST_FIRST =
            Comparator.comparingLong(Lane::finishTag).thenComparingLong(lane -> lane.id);

    private final int threads;
    private final int queueCapacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workQueued = lock.newCondition();
    /** Lanes with a request waiting, fairest first. */
    private final TreeSet<Lane> ready = new TreeSet<>(FAIREST_FIRST);
    /** What each worker computes for, so that a closing lane interrupts only its own. */
    private final Lane[] computingFor;
    private final Thread[] workers;
    private long virtualTime;
    private long nextLaneId;
    private int queued;
    private volatile int waitingNow;
    private volatile int runningNow;
    private volatile boolean stopped;

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
        this.computingFor = new Lane[threads];
        this.workers = new Thread[threads];
        ThreadFactory factory = new DefaultThreadFactory("ricochet-offload");
        for (int i = 0; i < threads; i++) {
            int index = i;
            workers[i] = factory.newThread(() -> work(index));
            workers[i].start();
        }
    }

    /** A lane for one connection's requests, computed with {@code work}. */
    Lane newLane(Work work) {
        lock.lock();
        try {
            return new Lane(nextLaneId++, work);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a request in its lane, or refuses it at once when {@code queueCapacity} requests
     * wait already (or the lane is closed).
     *
     * @return whether it was queued
     */
    boolean trySubmit(Lane lane, long number, int seq) {
        lock.lock();
        try {
            if (lane.closed || stopped || waitingUnderLock() >= queueCapacity) {
                return false;
            }
            boolean wasEmpty = lane.waiting.isEmpty();
            lane.waiting.add(number, seq, System.nanoTime());
            if (wasEmpty) {
                // Level with the lanes being served: an idle lane saves up no credit. A lane that
                // had a request waiting is in the ready set already, at the same place: a request
                // behind its head changes neither its time nor its next cost.
                lane.tag = Math.max(lane.tag, virtualTime);
                makeReady(lane);
            }
            queued++;
            waitingNow = waitingUnderLock();
            workQueued.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops everything of a lane nobody waits for (its client has gone): its waiting requests
     * are dropped and the workers computing for it interrupted. Its replies never come.
     */
    void close(Lane lane) {
        lock.lock();
        try {
            lane.closed = true;
            unready(lane);
            queued -= lane.waiting.size();
            lane.waiting.clear();
            waitingNow = waitingUnderLock();
            for (int i = 0; i < threads; i++) {
                if (computingFor[i] == lane) {
                    workers[i].interrupt();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void work(int index) {
        Lane lane = null;
        long charged = 0;
        long started = 0;
        while (true) {
            long number;
            int seq;
            long waited;
            lock.lock();
            try {
                if (lane != null) {
                    finished(lane, System.nanoTime() - started, charged);
                    computingFor[index] = null;
                    Thread.interrupted(); // an interrupt meant for that lane must not reach the next
                }
                while (ready.isEmpty() && !stopped) {
                    workQueued.awaitUninterruptibly();
                }
                if (stopped) {
                    return;
                }
                lane = ready.pollFirst();
                lane.ready = false;
                number = lane.waiting.headNumber();
                seq = lane.waiting.headSeq();
                started = System.nanoTime();
                waited = started - lane.waiting.headQueuedAt();
                lane.waiting.removeHead();
                queued--;
                runningNow++;
                waitingNow = waitingUnderLock();
                virtualTime = Math.max(virtualTime, lane.tag);
                // Charged now, at its estimate, so that its other requests queue behind other
                // lanes while this one runs; corrected to the measured cost when it finishes.
                charged = lane.nextCost;
                lane.tag += charged;
                makeReady(lane);
                computingFor[index] = lane;
            } finally {
                lock.unlock();
            }
            try {
                lane.work.compute(number, seq, waited);
            } catch (Throwable e) {
                // Work answers its own failures; whatever escapes must not cost the pool a worker.
            }
        }
    }

    /** Under the lock: the measured cost replaces the estimate charged when the request started. */
    private void finished(Lane lane, long costNanos, long charged) {
        runningNow--;
        boolean wasReady = lane.ready;
        unready(lane);
        lane.tag += costNanos - charged;
        if (wasReady) {
            makeReady(lane);
        }
    }

    /** Under the lock: out of the ready set before its ordering fields change. */
    private void unready(Lane lane) {
        if (lane.ready) {
            ready.remove(lane);
            lane.ready = false;
        }
    }

    /** Under the lock: into the ready set when it has a request waiting. */
    private void makeReady(Lane lane) {
        if (!lane.closed && !lane.waiting.isEmpty()) {
            lane.nextCost = lane.work.costNanos(lane.waiting.headNumber());
            ready.add(lane);
            lane.ready = true;
        }
    }

    /** Requests waiting for a worker right now (not counting those an idle worker is about to take). */
    public int waiting() {
        return waitingNow;
    }

    private int waitingUnderLock() {
        return Math.max(0, queued - (threads - runningNow));
    }

    public int threads() {
        return threads;
    }

    /** Worker threads alive now. */
    int liveThreads() {
        int alive = 0;
        for (Thread worker : workers) {
            if (worker.isAlive()) {
                alive++;
            }
        }
        return alive;
    }

    /** Computations running right now. */
    public int running() {
        return runningNow;
    }

    /** Interrupts running computations, drops waiting ones and waits briefly for the threads. */
    public void shutdownNow() {
        lock.lock();
        try {
            stopped = true;
            workQueued.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread worker : workers) {
            worker.interrupt();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
