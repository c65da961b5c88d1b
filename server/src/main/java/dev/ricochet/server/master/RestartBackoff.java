package dev.ricochet.server.master;

import java.time.Duration;

/**
 * How long the master waits before starting a worker again: {@value #FIRST_MILLIS} ms after
 * a worker that ran for a while died (a crash: replace it at once), doubling at each death
 * that follows soon after a start, up to {@value #MAX_SECONDS} s, so that a worker that
 * cannot start (a bad file, no memory) is not restarted in a tight loop that would take the
 * CPU from the workers still serving. A worker that stays up {@value #MAX_SECONDS} s starts
 * the count again.
 */
final class RestartBackoff {

    static final long FIRST_MILLIS = 100;
    static final long MAX_SECONDS = 10;
    private static final Duration FIRST = Duration.ofMillis(FIRST_MILLIS);
    private static final Duration MAX = Duration.ofSeconds(MAX_SECONDS);

    private Duration next = FIRST;

    /** The wait before starting again a worker that died after running for {@code uptime}. */
    Duration after(Duration uptime) {
        if (uptime.compareTo(MAX) >= 0) {
            next = FIRST;
        }
        Duration wait = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
        return wait;
    }
}
