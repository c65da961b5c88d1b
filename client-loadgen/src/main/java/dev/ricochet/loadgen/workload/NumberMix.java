package dev.ricochet.loadgen.workload;

import dev.ricochet.loadgen.oracle.Primality;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The numbers a prime run sends, from {@code --numbers}: comma-separated entries
 * {@code SPEC[:WEIGHT]}, where SPEC is a fixed number ({@code 2305843009213693951}) or a digit
 * count ({@code 12d}: random numbers of exactly 12 digits), and WEIGHT (default 1) sets how
 * often the entry is drawn. {@code 6d:95,19d:5} mixes light and heavy requests.
 *
 * <p>Numbers and their expected answers are drawn before the run, so that the oracle's cost
 * never falls inside a measurement.
 */
public final class NumberMix {

    private static final int POOL_PER_ENTRY = 1024;

    private final List<Request[]> pools = new ArrayList<>();
    private final int[] cumulativeWeights;
    private final String text;
    private final long seed;

    private NumberMix(String text, long seed, List<Request[]> pools, List<Integer> weights) {
        this.text = text;
        this.seed = seed;
        this.pools.addAll(pools);
        this.cumulativeWeights = new int[weights.size()];
        int sum = 0;
        for (int i = 0; i < weights.size(); i++) {
            sum += weights.get(i);
            cumulativeWeights[i] = sum;
        }
    }

    /** @throws IllegalArgumentException with the reason, for a malformed specification */
    public static NumberMix parse(String text, long seed, int split) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Request[]> pools = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (String entry : text.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length > 2 || parts[0].isEmpty()) {
                throw invalid(text, "'" + entry + "' is not SPEC or SPEC:WEIGHT");
            }
            int weight = 1;
            if (parts.length == 2) {
                try {
                    weight = Integer.parseInt(parts[1].trim());
                } catch (NumberFormatException e) {
                    weight = 0;
                }
                if (weight < 1 || weight > 1_000_000) {
                    throw invalid(text, "weight '" + parts[1] + "' is not a whole number from 1 to 1000000");
                }
            }
            pools.add(pool(text, parts[0].trim(), random, split));
            weights.add(weight);
        }
        return new NumberMix(text, seed, pools, weights);
    }

    private static Request[] pool(String text, String spec, SplittableRandom random, int split) {
        if (spec.endsWith("d")) {
            int digits;
            try {
                digits = Integer.parseInt(spec.substring(0, spec.length() - 1));
            } catch (NumberFormatException e) {
                throw invalid(text, "'" + spec + "' is not a digit count such as 12d");
            }
            if (digits < 1 || digits > 19) {
                throw invalid(text, "'" + spec + "': digit counts go from 1d to 19d");
            }
            long low = digits == 1 ? 0 : pow10(digits - 1);
            long high = digits == 19 ? Long.MAX_VALUE : pow10(digits) - 1;
            Request[] pool = new Request[POOL_PER_ENTRY];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = line(random.nextLong(low, high) + (random.nextBoolean() ? 1 : 0), split);
            }
            return pool;
        }
        try {
            long n = Long.parseLong(spec);
            if (n < 0) {
                throw invalid(text, "'" + spec + "' is negative");
            }
            return new Request[] {line(n, split)};
        } catch (NumberFormatException e) {
            throw invalid(text, "'" + spec + "' is neither a number up to 9223372036854775807 nor a digit count such as 12d");
        }
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }

    private static Request line(long n, int split) {
        byte[] request = (n + "\n").getBytes(StandardCharsets.US_ASCII);
        return new Request(EchoWorkload.cut(request, split),
                (Primality.isPrime(n) ? "prime\n" : "composite\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("--numbers: '" + text + "': " + reason
                + " (expected: entries SPEC[:WEIGHT] separated by commas, SPEC a number or a digit count like 12d)");
    }

    /** Draws a request; {@code draw} is any well-mixed random value. */
    Request pick(long draw) {
        int total = cumulativeWeights[cumulativeWeights.length - 1];
        int ticket = (int) Math.floorMod(draw, (long) total);
        int entry = 0;
        while (ticket >= cumulativeWeights[entry]) {
            entry++;
        }
        Request[] pool = pools.get(entry);
        return pool[(int) Math.floorMod(draw >>> 20, (long) pool.length)];
    }

    long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return text;
    }
}
