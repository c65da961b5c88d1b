package dev.ricochet.benchreport.headline;

/**
 * The part of a file between {@code <!-- headline:begin -->} and {@code <!-- headline:end -->}
 * lines: what the generator owns, so that it rewrites the table and nothing around it.
 */
final class MarkedSection {

    static final String BEGIN = "<!-- headline:begin -->";
    static final String END = "<!-- headline:end -->";

    private MarkedSection() {
    }

    /** @return the lines between the markers, each ending in a newline */
    static String between(String text) {
        int[] bounds = bounds(text);
        return text.substring(bounds[0], bounds[1]);
    }

    /** @return {@code text} with the lines between the markers replaced by {@code content} */
    static String replace(String text, String content) {
        int[] bounds = bounds(text);
        String body = content.isEmpty() || content.endsWith("\n") ? content : content + "\n";
        return text.substring(0, bounds[0]) + body + text.substring(bounds[1]);
    }

    /** Where the content starts (after the begin marker's line) and ends (at the end marker's line). */
    private static int[] bounds(String text) {
        int begin = markerLine(text, BEGIN);
        int end = markerLine(text, END);
        if (begin < 0 || end < 0) {
            throw new IllegalArgumentException("no " + (begin < 0 ? BEGIN : END) + " line (expected: one "
                    + BEGIN + " line, then one " + END + " line)");
        }
        if (markerLine(text.substring(begin + 1), BEGIN) >= 0 || markerLine(text.substring(end + 1), END) >= 0) {
            throw new IllegalArgumentException("more than one " + BEGIN + " or " + END + " line");
        }
        if (end < begin) {
            throw new IllegalArgumentException(END + " comes before " + BEGIN);
        }
        int contentStart = text.indexOf('\n', begin) + 1;
        return new int[] {contentStart, end};
    }

    /** @return the offset of the line that is exactly {@code marker}, or -1 */
    private static int markerLine(String text, String marker) {
        int from = 0;
        while (true) {
            int at = text.indexOf(marker, from);
            if (at < 0) {
                return -1;
            }
            boolean startsLine = at == 0 || text.charAt(at - 1) == '\n';
            int after = at + marker.length();
            boolean endsLine = after == text.length() || text.charAt(after) == '\n' || text.charAt(after) == '\r';
            if (startsLine && endsLine) {
                return at;
            }
            from = after;
        }
    }
}
