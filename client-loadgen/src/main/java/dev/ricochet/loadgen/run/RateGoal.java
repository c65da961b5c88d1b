package dev.ricochet.loadgen.run;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * What a search for the highest rate holds each rate to ({@code --find-rate}): one percentile of
 * the corrected latency (from each request's planned send) below a bound, such as
 * {@code p99<5ms}.
 *
 * @param label      the percentile as written: p50, p90, p99, p99.9, p99.99 or max
 * @param percentile the percentile, 100 for max
 * @param boundNanos the bound, in nanoseconds, above 0: a rate holds when the percentile is below it
 * @param boundText  the bound as written, such as {@code 5ms}
 */
public record RateGoal(String label, double percentile, long boundNanos, String boundText) {

    /** What {@code --find-rate} takes, for messages and the help. */
    public static final String SYNTAX = "PERCENTILE<DURATION, the percentile p50, p90, p99, p99.9, p99.99 or max"
            + " of the corrected latency, the duration a number with its unit, us, ms or s, such as p99<5ms";

    /** A longer bound is not a latency goal, and each step would wait twice as long for its replies. */
    public static final Duration MAX_BOUND = Duration.ofMinutes(1);

    private static final Map<String, Double> PERCENTILES = percentiles();
    private static final Pattern BOUND = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s)");

    public RateGoal {
        if (!PERCENTILES.containsKey(label) || PERCENTILES.get(label) != percentile) {
            throw new IllegalArgumentException("label: " + label + " (expected: one of " + PERCENTILES.keySet()
                    + ", as percentile " + percentile + ")");
        }
        if (boundNanos <= 0) {
            throw new IllegalArgumentException("boundNanos: " + boundNanos + " (expected: > 0)");
        }
    }

    private static Map<String, Double> percentiles() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("p50", 50.0);
        p.put("p90", 90.0);
        p.put("p99", 99.0);
        p.put("p99.9", 99.9);
        p.put("p99.99", 99.99);
        p.put("max", 100.0);
        return p;
    }

    /**
     * Reads {@code --find-rate}'s value.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static RateGoal parse(String text) {
        String where = "--find-rate: '" + text + "'";
        int less = text.indexOf('<');
        if (less < 0) {
            throw new IllegalArgumentException(where + " has no '<' (expected: " + SYNTAX + ")");
        }
        String label = text.substring(0, less).trim();
        if (!PERCENTILES.containsKey(label)) {
            throw new IllegalArgumentException(where + ": percentile '" + label + "' (expected: p50, p90, p99, p99.9,"
                    + " p99.99 or max)");
        }
        String bound = text.substring(less + 1).trim();
        Matcher m = BOUND.matcher(bound);
        if (!m.matches()) {
            throw new IllegalArgumentException(where + ": bound '" + bound + "' (expected: a number with its unit,"
                    + " us, ms or s, such as 5ms)");
        }
        BigDecimal perUnit = BigDecimal.valueOf(switch (m.group(2)) {
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            default -> 1_000_000_000L;
        });
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(perUnit);
        if (nanos.signum() == 0 || nanos.compareTo(BigDecimal.valueOf(MAX_BOUND.toNanos())) > 0) {
            throw new IllegalArgumentException(where + ": bound " + bound + " (expected: above 0, at most "
                    + MAX_BOUND.toSeconds() + "s)");
        }
        // Below a nanosecond a bound means nothing: the histograms keep microseconds.
        long whole = Math.max(1, nanos.longValue());
        return new RateGoal(label, PERCENTILES.get(label), whole, bound);
    }

    /** The goal's percentile of {@code latencies}: its highest value for max. */
    public long valueOf(Histogram latencies) {
        return percentile == 100 ? latencies.getMaxValue() : latencies.getValueAtPercentile(percentile);
    }

    /** Whether a value of the goal's percentile meets it: strictly below the bound. */
    public boolean metBy(long nanos) {
        return nanos < boundNanos;
    }

    /** As the reports say it: {@code p99 < 5ms}. */
    @Override
    public String toString() {
        return label + " < " + boundText;
    }

    /** As {@code --find-rate} writes it: {@code p99<5ms}. */
    public String option() {
        return label + "<" + boundText;
    }
}
