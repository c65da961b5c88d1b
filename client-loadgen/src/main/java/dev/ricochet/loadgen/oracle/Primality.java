package dev.ricochet.loadgen.oracle;

import java.math.BigInteger;

/**
 * The load generator's own primality test, written independently of the server's (which it
 * checks): deterministic Miller-Rabin on {@link BigInteger} with the first twelve primes as
 * bases, exact for every value below 3.3 * 10^24 and so for every 64-bit number.
 */
public final class Primality {

    private static final int[] BASES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

    private Primality() {
    }

    public static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (int p : BASES) {
            if (n % p == 0) {
                return n == p;
            }
        }
        BigInteger big = BigInteger.valueOf(n);
        BigInteger minusOne = big.subtract(BigInteger.ONE);
        int s = minusOne.getLowestSetBit();
        BigInteger d = minusOne.shiftRight(s);
        for (int base : BASES) {
            BigInteger x = BigInteger.valueOf(base).modPow(d, big);
            if (x.equals(BigInteger.ONE) || x.equals(minusOne)) {
                continue;
            }
            boolean witness = true;
            for (int r = 1; r < s && witness; r++) {
                x = x.multiply(x).mod(big);
                witness = !x.equals(minusOne);
            }
            if (witness) {
                return false;
            }
        }
        return true;
    }
}
