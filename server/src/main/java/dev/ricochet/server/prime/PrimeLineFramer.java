package dev.ricochet.server.prime;

import java.util.List;
import java.util.Objects;

/**
 * The prime protocol's framing rules for one connection, in plain Java so that every engine
 * (the Netty decoder, the blocking sessions) frames requests the same way. Bytes go in as
 * they arrive, cut anywhere; {@link PrimeRequest}s come out in order.
 *
 * <ul>
 *   <li>A line ends in {@code \n}, with an optional {@code \r} before it; its content is
 *       parsed by {@link PrimeRequest#parse}, so an empty or bad line is a rejected request.</li>
 *   <li>A line whose content is longer than {@link #MAX_LINE_BYTES} becomes one
 *       {@link PrimeReply#LINE_TOO_LONG} request, as soon as it is known to be too long (its
 *       newline need not arrive), and everything after it is discarded: the connection ends
 *       there.</li>
 *   <li>A bare number (digits and no newline yet) is held until more bytes come; the caller
 *       decides when silence has lasted long enough ({@link #completeBareNumber}). That is only
 *       for clients that never frame: once a connection has sent a line terminator it is
 *       line-framed for good, so a pause inside a number never splits it.</li>
 *   <li>After a bare number completed that way, a {@code \n} or {@code \r\n} that arrives late
 *       is its terminator, not an empty request.</li>
 * </ul>
 *
 * <p>It holds at most one partial line ({@link #MAX_LINE_BYTES} + 1 bytes) and allocates
 * nothing but the requests it emits; valid requests are parsed straight from the caller's
 * array. Not thread-safe: one connection, one thread at a time.
 */
public final class PrimeLineFramer {

    /** Longest line content accepted, in bytes, terminator excluded. */
    static final int MAX_LINE_BYTES = 64;

    private final boolean lingerEnabled;
    /** The partial line: content so far, possibly ending in the {@code \r} of a terminator. */
    private final byte[] held = new byte[MAX_LINE_BYTES + 1];
    private int heldLength;
    private boolean lineFramed;
    private boolean lateNewlineBelongsToLastNumber;
    private boolean discarding;

    /**
     * @param lingerEnabled whether bare numbers may be completed by silence; when false only
     *                      whole lines (and the last line at end of stream) count
     */
    public PrimeLineFramer(boolean lingerEnabled) {
        this.lingerEnabled = lingerEnabled;
    }

    /**
     * Frames the next bytes of the stream and adds each request they complete to {@code out},
     * in order (rejected ones included). What does not end a line yet is held for the next
     * call. Does nothing while {@linkplain #discarding() discarding}.
     *
     * @param bytes  the stream's next bytes, from {@code offset}; only read during the call
     * @param length how many, 0 or more
     * @param out    where requests are added; nothing else is done with it
     */
    public void feed(byte[] bytes, int offset, int length, List<? super PrimeRequest> out) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int from = offset;
        int end = offset + length;
        if (discarding || from == end) {
            return;
        }
        if (lateNewlineBelongsToLastNumber) {
            from = skipLateNewline(bytes, from, end);
        }
        while (from < end) {
            int eol = indexOfNewline(bytes, from, end);
            if (eol < 0) {
                hold(bytes, from, end, out);
                return;
            }
            lineFramed = true;
            if (!endLine(bytes, from, eol, out)) {
                return;
            }
            from = eol + 1;
        }
    }

    /**
     * Whether the held bytes are a bare number that silence may complete: the linger is on,
     * the connection has never sent a line terminator, and the partial line is 1 to
     * {@link #MAX_LINE_BYTES} bytes, all decimal digits.
     */
    public boolean holdsBareNumber() {
        return lingerEnabled && !lineFramed && !discarding && heldLength > 0 && heldLength <= MAX_LINE_BYTES
                && PrimeRequest.allDigits(held, 0, heldLength);
    }

    /**
     * The client has been silent for the linger time: the held bare number is a request. A
     * {@code \n} or {@code \r\n} arriving next will be taken as its terminator.
     *
     * @return the request, or null when {@link #holdsBareNumber()} is false (nothing changes)
     */
    public PrimeRequest completeBareNumber() {
        if (!holdsBareNumber()) {
            return null;
        }
        PrimeRequest request = PrimeRequest.parse(held, 0, heldLength);
        heldLength = 0;
        lateNewlineBelongsToLastNumber = true;
        return request;
    }

    /**
     * The client closed its side: it will not send the rest of the held line, so what it did
     * send is answered (a trailing {@code \r} stripped).
     *
     * @return the held line as a request, or null when nothing is held or while discarding
     */
    public PrimeRequest endOfStream() {
        if (discarding || heldLength == 0) {
            return null;
        }
        PrimeRequest request = PrimeRequest.parse(held, 0, contentLength(held, 0, heldLength));
        heldLength = 0;
        return request;
    }

    /**
     * Drops what is held and every byte fed from now on: no request comes out any more. For a
     * drain, where the client gets the replies to what was read before and nothing else.
     */
    public void discardFromNowOn() {
        discarding = true;
        heldLength = 0;
    }

    /** Whether bytes are discarded: after {@link #discardFromNowOn()} or a line too long. */
    public boolean discarding() {
        return discarding;
    }

    /**
     * Takes a {@code \n} or {@code \r\n} right after a completed bare number as its
     * terminator. A lone {@code \r} is held: the next byte decides.
     *
     * @return where framing goes on
     */
    private int skipLateNewline(byte[] bytes, int from, int end) {
        if (heldLength == 0 && bytes[from] == '\r') {
            held[0] = '\r';
            heldLength = 1;
            if (++from == end) {
                return from; // still undecided
            }
        }
        if (bytes[from] == '\n') {
            heldLength = 0; // the '\r' held before it, if any, belongs to the terminator
            lineFramed = true;
            from++;
        }
        // Anything else starts the next line (after the held '\r', if any, which is content).
        lateNewlineBelongsToLastNumber = false;
        return from;
    }

    /**
     * Ends the line made of the held bytes and {@code bytes[from, eol)}.
     *
     * @return false when it was too long (and everything from now on is discarded)
     */
    private boolean endLine(byte[] bytes, int from, int eol, List<? super PrimeRequest> out) {
        byte[] line = bytes;
        int start = from;
        int length = eol - from;
        if (heldLength > 0) {
            if (heldLength + length > held.length) {
                tooLong(out);
                return false;
            }
            System.arraycopy(bytes, from, held, heldLength, length);
            line = held;
            start = 0;
            length += heldLength;
            heldLength = 0;
        }
        int content = contentLength(line, start, length);
        if (content > MAX_LINE_BYTES) {
            tooLong(out);
            return false;
        }
        out.add(PrimeRequest.parse(line, start, content));
        return true;
    }

    /**
     * Holds {@code bytes[from, end)}, the start of a line, unless it is already too long: a
     * partial line may be one byte longer than the limit only when that byte is the
     * {@code \r} of its terminator.
     */
    private void hold(byte[] bytes, int from, int end, List<? super PrimeRequest> out) {
        int length = heldLength + (end - from);
        if (length > MAX_LINE_BYTES && !(length == MAX_LINE_BYTES + 1 && bytes[end - 1] == '\r')) {
            tooLong(out);
            return;
        }
        System.arraycopy(bytes, from, held, heldLength, end - from);
        heldLength = length;
    }

    private void tooLong(List<? super PrimeRequest> out) {
        discardFromNowOn();
        out.add(PrimeRequest.rejected(PrimeReply.LINE_TOO_LONG));
    }

    /** The length of a line without the {@code \r} of its terminator, if it ends in one. */
    private static int contentLength(byte[] line, int start, int length) {
        return length > 0 && line[start + length - 1] == '\r' ? length - 1 : length;
    }

    private static int indexOfNewline(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
