package dev.ricochet.server.prime;

import java.util.Locale;

/** How the prime service decides primality ({@code --prime-method}). */
public enum PrimeMethod {
    /** Naive trial division to sqrt(n): the CPU-heavy workload of the reference servers. */
    TRIAL_DIVISION,
    /** Deterministic Miller-Rabin: microseconds for any 64-bit value. */
    MILLER_RABIN;

    /**
     * @throws java.util.concurrent.CancellationException when the computing thread is
     *         interrupted (trial division only; Miller-Rabin is too short to bother)
     */
    public boolean isPrime(long n) {
        return switch (this) {
            case TRIAL_DIVISION -> TrialDivision.isPrime(n);
            case MILLER_RABIN -> MillerRabin.isPrime(n);
        };
    }

    /**
     * The answer when it costs a few microseconds at most, null when it takes more: trial
     * division tries the small divisors only, Miller-Rabin answers below about 3 * 10^9.
     */
    Boolean settleQuickly(long n) {
        return switch (this) {
            case TRIAL_DIVISION -> TrialDivision.settleQuickly(n);
            case MILLER_RABIN -> MillerRabin.settleQuickly(n);
        };
    }

    /**
     * About how long {@link #isPrime} takes for {@code n} at most, in nanoseconds, for the
     * offload pool's fair share: trial division tries about sqrt(n)/2 odd divisors at about
     * 2 ns each; Miller-Rabin takes about a microsecond for any n.
     */
    long costEstimateNanos(long n) {
        return switch (this) {
            case TRIAL_DIVISION -> Math.max(1_000, (long) Math.sqrt((double) n));
            case MILLER_RABIN -> 1_000;
        };
    }

    /** The name on the command line: {@code trial-division}, {@code miller-rabin}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
