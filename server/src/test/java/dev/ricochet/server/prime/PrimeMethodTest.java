package dev.ricochet.server.prime;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrimeMethodTest {

    private static final long MERSENNE_61 = (1L << 61) - 1;
    private static final long LARGEST_63_BIT_PRIME = Long.MAX_VALUE - 24; // 2^63 - 25

    @Test
    void bothMethodsAgreeOnEveryNumberUpTo100000() {
        int primes = 0;
        for (long n = 0; n <= 100_000; n++) {
            boolean byDivision = PrimeMethod.TRIAL_DIVISION.isPrime(n);
            assertThat(PrimeMethod.MILLER_RABIN.isPrime(n)).as("n = %d", n).isEqualTo(byDivision);
            primes += byDivision ? 1 : 0;
        }
        assertThat(primes).isEqualTo(9592); // pi(10^5)
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1})
    void zeroAndOneAreNotPrime(long n) {
        assertThat(PrimeMethod.TRIAL_DIVISION.isPrime(n)).isFalse();
        assertThat(PrimeMethod.MILLER_RABIN.isPrime(n)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {MERSENNE_61, LARGEST_63_BIT_PRIME, 999_999_999_989L, 4_294_967_291L})
    void bothMethodsFindLargePrimesPrime(long n) {
        assertThat(PrimeMethod.MILLER_RABIN.isPrime(n)).isTrue();
        assertThat(PrimeMethod.TRIAL_DIVISION.isPrime(n)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {
            561, 1105, 1729, 2465, 2821, 6601, 8911,      // Carmichael numbers
            3_215_031_751L,                                // strong pseudoprime to bases 2, 3, 5, 7
            3_825_123_056_546_413_051L,                    // strong pseudoprime to bases 2 .. 23
            999_999_874_000_003_969L,                      // 999999937^2
            Long.MAX_VALUE})                               // 7^2 * 73 * 127 * 337 * 92737 * 649657
    void bothMethodsFindCarmichaelNumbersPseudoprimesAndSquaresComposite(long n) {
        assertThat(PrimeMethod.MILLER_RABIN.isPrime(n)).isFalse();
        assertThat(PrimeMethod.TRIAL_DIVISION.isPrime(n)).isFalse();
    }

    /** Trial division walks its candidates in chunks of 2^21: factors on each side of the first seam. */
    @ParameterizedTest
    @ValueSource(longs = {
            2_097_143L * 2_097_143L,      // the last prime of the first chunk, squared
            2_097_169L * 2_097_169L,      // the first prime of the second chunk, squared
            2_097_143L * 2_097_169L,
            2_097_133L * 2_097_143L})
    void trialDivisionFindsFactorsOnEitherSideOfAChunkSeamAndAtTheBound(long n) {
        assertThat(PrimeMethod.TRIAL_DIVISION.isPrime(n)).isFalse();
        assertThat(PrimeMethod.MILLER_RABIN.isPrime(n)).isFalse();
    }

    @Property(tries = 2000)
    void integerSquareRootIsExactForEveryLong(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long n) {
        assertThat(TrialDivision.isqrt(n)).isEqualTo(BigInteger.valueOf(n).sqrt().longValueExact());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4, 8, 9, 10, 9_007_199_254_740_993L, 9_223_372_030_926_249_001L,
            9_223_372_030_926_249_000L, Long.MAX_VALUE, Long.MAX_VALUE - 1})
    void integerSquareRootIsExactAtSquaresAndWhereDoublesRound(long n) {
        assertThat(TrialDivision.isqrt(n)).isEqualTo(BigInteger.valueOf(n).sqrt().longValueExact());
    }

    @Property(tries = 300)
    void trialDivisionAgreesWithMillerRabinBelowTenToTheThirteen(
            @ForAll @LongRange(min = 0, max = 10_000_000_000_000L) long n) {
        assertThat(PrimeMethod.TRIAL_DIVISION.isPrime(n)).isEqualTo(PrimeMethod.MILLER_RABIN.isPrime(n));
    }

    @Test
    void settlesEveryNumberBelowTheSquareOfTheQuickBoundWithTheSameAnswer() {
        long end = TrialDivision.QUICK_DIVISOR_BOUND * TrialDivision.QUICK_DIVISOR_BOUND;
        for (long n = 0; n < end; n += n < 100_000 ? 1 : 997) {
            assertThat(TrialDivision.settleQuickly(n)).as("n = %d", n).isEqualTo(TrialDivision.isPrime(n));
        }
    }

    @Property(tries = 3000)
    void aQuickAnswerIsAlwaysTheWholeLoopsAnswer(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long n) {
        Boolean quick = TrialDivision.settleQuickly(n);
        if (quick != null) {
            assertThat(quick).as("n = %d", n).isEqualTo(PrimeMethod.MILLER_RABIN.isPrime(n));
        }
    }

    @Property(tries = 3000)
    void aQuickMillerRabinAnswerIsAlwaysTheWholeTestsAnswer(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long n) {
        Boolean quick = MillerRabin.settleQuickly(n);
        if (quick != null) {
            assertThat(quick).as("n = %d", n).isEqualTo(MillerRabin.isPrime(n));
        }
    }

    @Test
    void millerRabinLeavesLargeNumbersWithoutASmallFactorToTheWorkers() {
        assertThat(MillerRabin.settleQuickly(MillerRabin.FAST_LIMIT - 1)).isNotNull();
        assertThat(MillerRabin.settleQuickly(MERSENNE_61)).isNull();
        assertThat(MillerRabin.settleQuickly(41L * 4_294_967_311L)).isNull(); // two primes above the bases
        assertThat(MillerRabin.settleQuickly(37L * 4_294_967_311L)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {999_999_999_989L, 2_053L * 2_063L, 4_194_319L, MERSENNE_61})
    void leavesToTheWorkersWhatTheSmallDivisorsCannotSettle(long n) {
        assertThat(TrialDivision.settleQuickly(n)).isNull();
    }

    @Test
    void multipliesModuloWithoutOverflowNearTwoToTheSixtyThree() {
        long m = LARGEST_63_BIT_PRIME;
        assertThat(MillerRabin.mulMod(m - 1, m - 1, m)).isEqualTo(1); // (-1)^2
        assertThat(MillerRabin.mulMod(m - 1, 2, m)).isEqualTo(m - 2);
    }

    @Test
    void trialDivisionStopsWhenItsThreadIsInterrupted() {
        Thread.currentThread().interrupt();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrimeMethod.TRIAL_DIVISION.isPrime(MERSENNE_61))
                    .isInstanceOf(java.util.concurrent.CancellationException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
