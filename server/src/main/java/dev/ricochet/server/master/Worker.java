package dev.ricochet.server.master;

import io.micrometer.core.instrument.Counter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * One worker's place under the master: its index (0 to N-1, kept by its replacements), its
 * admin port, and the process filling the place now. Its fields but {@link #ready} are the
 * supervisor thread's alone.
 */
final class Worker {

    /** Where workers' admin servers listen: the master is their only client. */
    static final InetAddress ADMIN_ADDRESS = InetAddress.getLoopbackAddress();

    final int index;
    final RestartBackoff backoff = new RestartBackoff();
    final Counter restarts;
    final Counter scrapeErrors;
    /** Whether the process has answered its readiness (and not exited since); read by scrapes, on their own thread. */
    volatile boolean ready;
    /** Its admin port: a spare that takes the place brings its own. Read by scrapes too. */
    private volatile PortReservation admin;
    private Process process;
    private long startedNanos;
    private int starts;
    private ScheduledFuture<?> restart;

    Worker(int index, PortReservation admin, Counter restarts, Counter scrapeErrors) {
        this.index = index;
        this.admin = admin;
        this.restarts = restarts;
        this.scrapeErrors = scrapeErrors;
    }

    InetSocketAddress adminAddress() {
        return new InetSocketAddress(ADMIN_ADDRESS, admin.port());
    }

    PortReservation admin() {
        return admin;
    }

    /**
     * A process now fills the place, on admin port {@code admin}; true when it replaces an
     * earlier one (a restart).
     */
    boolean started(Process started, PortReservation admin) {
        this.admin = admin;
        process = started;
        startedNanos = System.nanoTime();
        ready = false;
        restart = null;
        return ++starts > 1;
    }

    /** The process filling the place, or null between a death and the replacement. */
    Process process() {
        return process;
    }

    /** The process has exited; returns how long it ran. */
    Duration exited() {
        process = null;
        ready = false;
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    void restartScheduled(ScheduledFuture<?> scheduled) {
        restart = scheduled;
    }

    /** Cancels a replacement not started yet. */
    void cancelRestart() {
        if (restart != null) {
            restart.cancel(false);
            restart = null;
        }
    }

    /** For log lines: the index and, while one runs, its process id. */
    String describe() {
        return process == null ? "Worker " + index : "Worker " + index + " (pid " + process.pid() + ")";
    }
}
