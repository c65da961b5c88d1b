package dev.ricochet.loadgen.run;

import java.util.Locale;

/** A latency as a person reads it: milliseconds to three significant digits, such as {@code 3.12 ms} or {@code 1,203 ms}. */
public final class Millis {

    private Millis() {
    }

    /** @param nanos a latency in nanoseconds, >= 0 */
    public static String of(long nanos) {
        double ms = nanos / 1e6;
        String format = ms < 1 ? "%.3f ms" : ms < 10 ? "%.2f ms" : ms < 100 ? "%.1f ms" : "%,.0f ms";
        return String.format(Locale.ROOT, format, ms);
    }
}
