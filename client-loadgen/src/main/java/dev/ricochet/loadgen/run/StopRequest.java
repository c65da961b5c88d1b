package dev.ricochet.loadgen.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request, made from another thread (a signal's handler), that the run end now: it ends its
 * measurement as if its duration had just elapsed, through the same end (every request still
 * owed counted as unanswered), and reports what it measured, saying that it was stopped
 * ({@link RunResult#interruptedBy}). A run stopped before its measurement started has nothing
 * to report: it ends with {@link StoppedBeforeMeasuring}. The thread that drives the run waits
 * on it between its steps, so that it wakes at once.
 */
public final class StopRequest {

    private final CountDownLatch made = new CountDownLatch(1);
    private volatile String cause;
    private volatile int exitCode;

    /**
     * Asks the run to stop; the first request stands, later ones change nothing.
     *
     * @param cause    what asked, as the reports name it: {@code SIGINT}, {@code SIGTERM}
     * @param exitCode the exit code the process ends with
     * @return whether this was the first request
     */
    public synchronized boolean make(String cause, int exitCode) {
        if (made()) {
            return false;
        }
        this.cause = cause;
        this.exitCode = exitCode;
        made.countDown();
        return true;
    }

    /** Whether the run has been asked to stop. */
    public boolean made() {
        return made.getCount() == 0;
    }

    /** What asked the run to stop ({@code SIGTERM}); null while nothing has. */
    public String cause() {
        return made() ? cause : null;
    }

    /** The exit code asked for with the request (128 + the signal's number); 0 while none was made. */
    public int exitCode() {
        return made() ? exitCode : 0;
    }

    /**
     * Waits {@code nanos}, or less if the request is made meanwhile.
     *
     * @return whether the request has been made
     */
    boolean await(long nanos) throws InterruptedException {
        return nanos > 0 ? made.await(nanos, TimeUnit.NANOSECONDS) : made();
    }
}
