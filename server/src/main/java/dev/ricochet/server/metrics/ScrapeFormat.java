package dev.ricochet.server.metrics;

import java.util.Locale;

/**
 * Which of the two text formats a scraper's {@code Accept} header prefers (RFC 9110 section
 * 12.5.1): each format takes the quality of the most specific media range that matches it
 * ({@code type/subtype} over {@code type/*} over {@code *}{@code /*}); {@code q=0} means "not
 * this one". OpenMetrics is chosen only when its quality is above zero and above the
 * Prometheus text format's, or equal and listed first.
 */
final class ScrapeFormat {

    private ScrapeFormat() {
    }

    static boolean prefersOpenMetrics(String accept) {
        if (accept == null) {
            return false;
        }
        Preference openMetrics = new Preference("application", "openmetrics-text");
        Preference text = new Preference("text", "plain");
        String[] ranges = accept.split(",");
        for (int position = 0; position < ranges.length; position++) {
            String[] parts = ranges[position].split(";");
            String range = parts[0].trim().toLowerCase(Locale.ROOT);
            double quality = quality(parts);
            if (!Double.isNaN(quality)) {
                openMetrics.consider(range, quality, position);
                text.consider(range, quality, position);
            }
        }
        return openMetrics.quality > 0 && (openMetrics.quality > text.quality
                || openMetrics.quality == text.quality && openMetrics.position < text.position);
    }

    /** The range's {@code q}, 1 when absent, NaN when malformed (the range is then ignored). */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.length() > 2 && Character.toLowerCase(parameter.charAt(0)) == 'q' && parameter.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(parameter.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : Double.NaN;
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
        return 1;
    }

    /** One format's quality so far, from the most specific range that matched it. */
    private static final class Preference {
        private final String type;
        private final String subtype;
        private int specificity = -1;
        private double quality = -1;
        private int position = Integer.MAX_VALUE;

        Preference(String type, String subtype) {
            this.type = type;
            this.subtype = subtype;
        }

        void consider(String range, double q, int at) {
            int s = range.equals(type + "/" + subtype) ? 2 : range.equals(type + "/*") ? 1 : range.equals("*/*") ? 0 : -1;
            if (s >= 0 && (s > specificity || s == specificity && q > quality)) {
                specificity = s;
                quality = q;
                position = at;
            }
        }
    }
}
