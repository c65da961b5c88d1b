package dev.ricochet.cli;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The values an option accepts, stated once: its help shows {@link #toString()}, and
 * {@link #require} enforces it with the message {@code "--option: value (expected: range)"}.
 *
 * @param <T> the option's type
 */
public final class Range<T> {

    private final Predicate<T> accepts;
    private final String text;

    private Range(Predicate<T> accepts, String text) {
        this.accepts = accepts;
        this.text = text;
    }

    /** {@code min} to {@code max}, both included; shown as {@code min..max}. */
    public static Range<Integer> between(int min, int max) {
        return new Range<>(v -> v >= min && v <= max, min + ".." + max);
    }

    /** {@code min} or more; shown as {@code >= min}. */
    public static Range<Integer> atLeast(int min) {
        return new Range<>(v -> v >= min, ">= " + min);
    }

    /** A finite number from {@code min} to {@code max}, both included; shown as {@code min..max}. */
    public static Range<Double> between(double min, double max) {
        return new Range<>(v -> Double.isFinite(v) && v >= min && v <= max, plain(min) + ".." + plain(max));
    }

    /** A finite number, {@code min} or more; shown as {@code >= min}. */
    public static Range<Double> atLeast(double min) {
        return new Range<>(v -> Double.isFinite(v) && v >= min, ">= " + plain(min));
    }

    /**
     * Zero to {@code max}: bounded so that every duration converts to nanoseconds and means
     * something; shown as {@code 0s..max}.
     */
    public static Range<Duration> upTo(Duration max) {
        return new Range<>(v -> !v.isNegative() && v.compareTo(max) <= 0, "0s.." + max);
    }

    /** Zero (off), or {@code min} to {@code max}; shown as {@code 0s, or min..max}. */
    public static Range<Duration> zeroOr(Duration min, Duration max) {
        return new Range<>(v -> v.isZero() || (v.compareTo(min) >= 0 && v.compareTo(max) <= 0),
                "0s, or " + durationText(min) + ".." + max);
    }

    /** {@code min} to {@code max}, both given in the unit they are shown in (such as 10us..10ms). */
    public static Range<Duration> between(Duration min, Duration max, String shown) {
        return new Range<>(v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0, shown);
    }

    /** Longer than zero; shown as {@code > 0}. */
    public static Range<Duration> positive() {
        return new Range<>(v -> !v.isNegative() && !v.isZero(), "> 0");
    }

    /** Whether {@code value} is in the range; null never is. */
    public boolean contains(T value) {
        return value != null && accepts.test(value);
    }

    /**
     * Returns {@code value} when it is in the range.
     *
     * @throws OptionValueException {@code "option: value (expected: range)"} otherwise
     */
    public T require(String option, T value) {
        Objects.requireNonNull(value, option);
        if (!accepts.test(value)) {
            throw new OptionValueException(option, value, text);
        }
        return value;
    }

    /** The range as help and error messages state it, such as {@code 1..1024}. */
    @Override
    public String toString() {
        return text;
    }

    /** 1.0 as 1, 0.25 as 0.25: how a user would type the bound. */
    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** Whole seconds as {@code 1s}, otherwise ISO-8601 as {@link Duration#toString()} gives it. */
    private static String durationText(Duration d) {
        return d.getNano() == 0 && d.getSeconds() < 60 ? d.getSeconds() + "s" : d.toString();
    }
}
