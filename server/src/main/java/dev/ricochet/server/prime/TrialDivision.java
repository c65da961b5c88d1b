package dev.ricochet.server.prime;

import java.util.concurrent.CancellationException;

/**
 * Naive trial division up to sqrt(n), as the reference servers compute it. Deliberately slow:
 * it is the prime service's workload, and a client picks a request's cost through the size
 * of n (a 12-digit prime costs about a millisecond, 2^61-1 seconds).
 *
 * <p>The loop does one 64-bit division per odd candidate, as the reference's
 * {@code for (r = 3; r * r <= n; r += 2)} does: the bound is computed once ({@link #isqrt})
 * instead of testing {@code d <= n / d} at every step, which C2 compiles to a second
 * {@code idiv} per candidate (seen in its output) and which doubled the cost. The candidates
 * are walked in chunks so that the inner loop has no interrupt check in it.
 */
final class TrialDivision {

    /**
     * Divisors {@link #settleQuickly} tries, below this: at most 1023 divisions, about two
     * microseconds, which settle every number below 2048^2 and about 93% of random 12-digit
     * numbers (those with a factor below 2048, by Mertens' theorem).
     */
    static final long QUICK_DIVISOR_BOUND = 2048;
    /** Candidates per chunk (even, so every chunk starts on an odd number): about a millisecond. */
    private static final long CHUNK = 1L << 21;
    /** floor(sqrt(Long.MAX_VALUE)): the largest root a long can have, and whose square fits. */
    private static final long MAX_ROOT = 3_037_000_499L;

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
        long limit = isqrt(n);
        for (long from = 3; from <= limit; from += CHUNK) {
            long to = Math.min(limit, from + CHUNK - 1);
            for (long d = from; d <= to; d += 2) {
                if (n % d == 0) {
                    return false;
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("primality test of " + n + " interrupted");
            }
        }
        return true;
    }

    /**
     * The first steps of {@link #isPrime}, by the odd divisors below
     * {@link #QUICK_DIVISOR_BOUND} only: cheap enough to run where a hand-off to a worker
     * would cost more than the work.
     *
     * @return the answer when those divisions settle it, null when only the whole loop can
     */
    static Boolean settleQuickly(long n) {
        if (n < 2) {
            return Boolean.FALSE;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        long limit = isqrt(n);
        long last = Math.min(limit, QUICK_DIVISOR_BOUND - 1);
        for (long d = 3; d <= last; d += 2) {
            if (n % d == 0) {
                return Boolean.FALSE;
            }
        }
        return limit < QUICK_DIVISOR_BOUND ? Boolean.TRUE : null;
    }

    /**
     * floor(sqrt(n)) for {@code n >= 0}, exact for every long: the double square root is off
     * by at most one (a double holds 53 bits of n), and the correction never overflows.
     */
    static long isqrt(long n) {
        long r = Math.min((long) Math.sqrt((double) n), MAX_ROOT);
        while (r * r > n) {
            r--;
        }
        while (r < MAX_ROOT && (r + 1) * (r + 1) <= n) {
            r++;
        }
        return r;
    }
}
