package dev.ricochet.server.prime;

import java.util.concurrent.CancellationException;

/**
 * Naive trial division up to sqrt(n), as the reference servers compute it. Deliberately slow:
 * it is the prime service's workload, and a client picks a request's cost through the size
 * of n (a 12-digit prime costs milliseconds, 2^61-1 seconds).
 */
final class TrialDivision {

    /** How often the loop looks for an interrupt: often enough to stop within milliseconds. */
    private static final long INTERRUPT_CHECK_MASK = (1 << 20) - 1;

    private TrialDivision() {
    }

    /**
     * @param n any value; below 2 is not prime
     * @throws CancellationException when the thread is interrupted, e.g. because the client
     *                               that asked has gone away
     */
    static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        // d <= n / d rather than d * d <= n: the square overflows near 2^63.
        for (long d = 3; d <= n / d; d += 2) {
            if (n % d == 0) {
                return false;
            }
            if ((d & INTERRUPT_CHECK_MASK) == 1 && Thread.currentThread().isInterrupted()) {
                throw new CancellationException("primality test of " + n + " interrupted");
            }
        }
        return true;
    }
}
