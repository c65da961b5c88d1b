package dev.ricochet.server.prime;

/**
 * Deterministic Miller-Rabin for every 64-bit value: the first twelve primes as bases are
 * known to have no common strong pseudoprime below 3.3 * 10^24, far above 2^63.
 */
final class MillerRabin {

    private static final long[] BASES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    /** Below this (floor(sqrt(2^63)) + 1) the product of two residues fits in a long. */
    static final long FAST_LIMIT = 3_037_000_500L;

    private MillerRabin() {
    }

    static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long p : BASES) {
            if (n % p == 0) {
                return n == p;
            }
        }
        // n - 1 = d * 2^s with d odd
        long d = n - 1;
        int s = Long.numberOfTrailingZeros(d);
        d >>= s;
        for (long a : BASES) {
            if (!passes(a, d, s, n)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The answer when it costs microseconds: below {@link #FAST_LIMIT} every product fits in a
     * long and each base takes a few dozen multiplications; above, {@link #mulMod}'s
     * shift-and-add makes a prime cost hundreds of microseconds, so only a factor among the
     * bases settles it here.
     *
     * @return the answer, or null when it needs the whole test
     */
    static Boolean settleQuickly(long n) {
        if (n < FAST_LIMIT) {
            return isPrime(n);
        }
        for (long p : BASES) {
            if (n % p == 0) {
                return Boolean.FALSE; // n is far above every base
            }
        }
        return null;
    }

    /** Whether n is a strong probable prime to base a. */
    private static boolean passes(long a, long d, int s, long n) {
        long x = powMod(a, d, n);
        if (x == 1 || x == n - 1) {
            return true;
        }
        for (int r = 1; r < s; r++) {
            x = mulMod(x, x, n);
            if (x == n - 1) {
                return true;
            }
        }
        return false;
    }

    private static long powMod(long base, long exponent, long m) {
        long result = 1;
        long b = base % m;
        for (long e = exponent; e > 0; e >>= 1) {
            if ((e & 1) == 1) {
                result = mulMod(result, b, m);
            }
            b = mulMod(b, b, m);
        }
        return result;
    }

    /** a * b mod m for 0 <= a, b < m < 2^63, without overflow. */
    static long mulMod(long a, long b, long m) {
        if (Math.multiplyHigh(a, b) == 0 && a * b >= 0) {
            return (a * b) % m; // the product fits in 63 bits: the common case below 3 * 10^9
        }
        long result = 0;
        for (long x = a, y = b; y > 0; y >>= 1) {
            if ((y & 1) == 1) {
                result = addMod(result, x, m);
            }
            x = addMod(x, x, m);
        }
        return result;
    }

    /** x + y mod m for 0 <= x, y < m, without overflow. */
    private static long addMod(long x, long y, long m) {
        return x >= m - y ? x - (m - y) : x + y;
    }
}
