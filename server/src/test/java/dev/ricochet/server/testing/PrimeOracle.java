package dev.ricochet.server.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The replies docs/protocol.md promises for a whole line-framed byte stream (no linger: only
 * lines count, and an unterminated last line is answered as at a half-close), written from
 * the text, not from the server's code: BigInteger for range and primality.
 */
public final class PrimeOracle {

    private static final int MAX_LINE_BYTES = 64;
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private PrimeOracle() {
    }

    /** The replies to {@code stream} followed by a half-close. */
    public static String expectedReplies(byte[] stream) {
        StringBuilder replies = new StringBuilder();
        int start = 0;
        while (start < stream.length) {
            int newline = indexOf(stream, (byte) '\n', start);
            int end = newline < 0 ? stream.length : newline;
            int contentEnd = end > start && stream[end - 1] == '\r' ? end - 1 : end;
            if (contentEnd - start > MAX_LINE_BYTES) {
                // Answered, and nothing after it is read.
                return replies.append("error: line longer than 64 bytes\n").toString();
            }
            replies.append(replyTo(new String(stream, start, contentEnd - start, StandardCharsets.ISO_8859_1)));
            start = end + 1;
        }
        return replies.toString();
    }

    public static String replyTo(String line) {
        if (line.isEmpty()) {
            return "error: empty request\n";
        }
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                return "error: not a decimal number\n";
            }
        }
        BigInteger n = new BigInteger(line);
        if (line.length() > 19 || n.compareTo(MAX) > 0) {
            return "error: number out of range (1 to 19 digits, at most 9223372036854775807)\n";
        }
        return n.isProbablePrime(64) ? "prime\n" : "composite\n";
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
