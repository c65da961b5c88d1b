package dev.ricochet.server.prime;

import java.util.EnumMap;
import java.util.Map;

/**
 * One request of the prime protocol: a number to test, or the error reply its line earned.
 * Parsing is plain Java so that every engine frames requests the same way.
 *
 * @param number    the number to test, 0 to 2^63-1 (meaningless when rejected)
 * @param rejection the error to answer instead, or null for a valid request
 */
public record PrimeRequest(long number, PrimeReply rejection) {

    private static final int MAX_DIGITS = 19;
    private static final Map<PrimeReply, PrimeRequest> REJECTED = new EnumMap<>(PrimeReply.class);

    static {
        for (PrimeReply reply : PrimeReply.values()) {
            REJECTED.put(reply, new PrimeRequest(0, reply));
        }
    }

    static PrimeRequest rejected(PrimeReply reply) {
        return REJECTED.get(reply);
    }

    /**
     * Parses the content of one line, its terminator removed.
     *
     * @param line   the line's bytes from {@code offset}
     * @param length the content's length, 0 or more
     */
    public static PrimeRequest parse(byte[] line, int offset, int length) {
        if (length == 0) {
            return rejected(PrimeReply.EMPTY);
        }
        long value = 0;
        boolean overflow = length > MAX_DIGITS;
        for (int i = offset, end = offset + length; i < end; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9) {
                return rejected(PrimeReply.NOT_A_NUMBER);
            }
            if (!overflow) {
                overflow = value > (Long.MAX_VALUE - digit) / 10;
                value = value * 10 + digit;
            }
        }
        return overflow ? rejected(PrimeReply.OUT_OF_RANGE) : new PrimeRequest(value, null);
    }

    /** Whether the bytes are all decimal digits (and there is at least one). */
    public static boolean allDigits(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return false;
            }
        }
        return length > 0;
    }
}
