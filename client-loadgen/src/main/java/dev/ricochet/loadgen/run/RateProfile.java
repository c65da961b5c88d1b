package dev.ricochet.loadgen.run;

import dev.ricochet.cli.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.TypeConversionException;

/**
 * An open-loop run's rate over time ({@code --rate-profile}): segments run one after another
 * over the measurement, each a constant step or a linear ramp, in requests per second over
 * every connection (and every shard) of the run. The measurement lasts the sum of their
 * durations; each segment is one phase of the report.
 *
 * @param segments in order, at least one, not all at rate 0
 */
public record RateProfile(List<Segment> segments) {

    /** More phases cost each event loop two more histograms apiece; a longer staircase is more likely a typo. */
    public static final int MAX_SEGMENTS = 100;

    /** What {@code --rate-profile} takes, for messages and the help. */
    public static final String SYNTAX = "comma-separated segments RATE:DURATION (a step) or FROM..TO:DURATION (a"
            + " linear ramp), rates >= 0 in requests per second, such as 5000:30s,5000..20000:30s";

    /** Longest measurement: its nanoseconds stay well within a long, and within a double's exact integers. */
    private static final Duration MAX_DURATION = Duration.ofDays(100);
    /** A plain decimal number: no sign other than minus, no NaN, infinity or hexadecimal. */
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    public RateProfile {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("segments: none (expected: at least one)");
        }
        if (segments.stream().allMatch(s -> s.from() == 0 && s.to() == 0)) {
            throw new IllegalArgumentException("segments: every one at rate 0 (expected: some rate above 0)");
        }
    }

    /**
     * One step or ramp.
     *
     * @param from     requests per second at its start, >= 0
     * @param to       requests per second at its end, >= 0: {@code from} for a step
     * @param duration its length, above 0
     */
    public record Segment(double from, double to, Duration duration) {

        public Segment {
            if (!(from >= 0 && Double.isFinite(from)) || !(to >= 0 && Double.isFinite(to))) {
                throw new IllegalArgumentException("rate: " + from + ".." + to + " (expected: >= 0)");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
            }
        }

        /** A constant rate. */
        public static Segment step(double rate, Duration duration) {
            return new Segment(rate, rate, duration);
        }

        public boolean ramp() {
            return from != to;
        }

        public double seconds() {
            return duration.toNanos() / 1e9;
        }

        /** The requests it plans: the integral of its rate. */
        public double requests() {
            return (from + to) / 2 * seconds();
        }

        /** As {@code --rate-profile} writes it: {@code 5000:30s} or {@code 5000..20000:30s}. */
        @Override
        public String toString() {
            return (ramp() ? rate(from) + ".." + rate(to) : rate(from)) + ":" + durationText(duration);
        }
    }

    /** The whole measurement at one rate: what {@code --rate} with {@code --duration} plans. */
    public static RateProfile constant(double rate, Duration duration) {
        return new RateProfile(List.of(Segment.step(rate, duration)));
    }

    /**
     * Reads {@code --rate-profile}'s value.
     *
     * @throws IllegalArgumentException with a one-line reason naming the bad segment
     */
    public static RateProfile parse(String text) {
        String[] parts = text.split(",", -1);
        if (text.isBlank()) {
            throw new IllegalArgumentException("--rate-profile: '" + text + "' (expected: " + SYNTAX + ")");
        }
        if (parts.length > MAX_SEGMENTS) {
            throw new IllegalArgumentException("--rate-profile: " + parts.length + " segments (expected: at most "
                    + MAX_SEGMENTS + ")");
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            segments.add(segment(i + 1, parts[i].trim()));
        }
        if (segments.stream().allMatch(s -> s.from() == 0 && s.to() == 0)) {
            throw new IllegalArgumentException("--rate-profile: '" + text + "' plans no request (expected: some"
                    + " segment with a rate above 0)");
        }
        RateProfile profile = new RateProfile(segments);
        if (profile.duration().compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("--rate-profile: '" + text + "' lasts " + profile.duration().toHours()
                    + " hours (expected: at most " + MAX_DURATION.toDays() + " days in all)");
        }
        return profile;
    }

    private static Segment segment(int number, String text) {
        String where = "--rate-profile: segment " + number;
        if (text.isEmpty()) {
            throw new IllegalArgumentException(where + " is empty (expected: " + SYNTAX + ")");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(where + ", '" + text + "' (expected: RATE:DURATION or"
                    + " FROM..TO:DURATION, such as 5000:30s or 5000..20000:30s)");
        }
        String rates = text.substring(0, colon);
        int dots = rates.indexOf("..");
        double from = rate(where, text, dots < 0 ? rates : rates.substring(0, dots));
        double to = dots < 0 ? from : rate(where, text, rates.substring(dots + 2));
        String durationText = text.substring(colon + 1).trim();
        Duration duration;
        try {
            duration = new DurationText().convert(durationText);
        } catch (TypeConversionException e) {
            throw new IllegalArgumentException(where + ", '" + text + "': duration " + e.getMessage());
        }
        if (duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(where + ", '" + text + "': duration " + durationText
                    + " (expected: above 0, at most " + MAX_DURATION.toDays() + " days)");
        }
        return new Segment(from, to, duration);
    }

    private static double rate(String where, String segment, String text) {
        String number = text.trim();
        if (!NUMBER.matcher(number).matches()) {
            throw new IllegalArgumentException(where + ", '" + segment + "': rate '" + number + "' (expected: a"
                    + " number of requests per second, >= 0)");
        }
        double rate = Double.parseDouble(number);
        if (rate < 0 || !Double.isFinite(rate)) {
            throw new IllegalArgumentException(where + ", '" + segment + "': rate " + number + " (expected: >= 0)");
        }
        return rate;
    }

    /** How long the measurement lasts: every segment's duration. */
    public Duration duration() {
        return segments.stream().map(Segment::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** The requests the profile plans over the measurement, per second of it. */
    public double meanRate() {
        return segments.stream().mapToDouble(Segment::requests).sum() / (duration().toNanos() / 1e9);
    }

    /** The highest rate the profile reaches, requests per second. */
    public double peakRate() {
        return segments.stream().mapToDouble(s -> Math.max(s.from(), s.to())).max().orElse(0);
    }

    /** The rate the profile starts at, which the warmup runs at. */
    public double startRate() {
        return segments.get(0).from();
    }

    /** When each segment starts, in seconds into the measurement. */
    public double startSeconds(int segment) {
        return segments.subList(0, segment).stream().map(Segment::duration).reduce(Duration.ZERO, Duration::plus)
                .toNanos() / 1e9;
    }

    /** As {@code --rate-profile} writes it. */
    @Override
    public String toString() {
        return segments.stream().map(Segment::toString).collect(Collectors.joining(","));
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) && Math.abs(perSecond) < 1e15
                ? String.valueOf((long) perSecond)
                : String.valueOf(perSecond);
    }

    /** {@code 30s}, {@code 1500ms}: whole seconds in seconds, anything finer in milliseconds (or ISO-8601). */
    private static String durationText(Duration d) {
        if (d.toNanos() % 1_000_000_000L == 0) {
            return d.toSeconds() + "s";
        }
        if (d.toNanos() % 1_000_000L == 0) {
            return d.toMillis() + "ms";
        }
        return d.toString();
    }
}
