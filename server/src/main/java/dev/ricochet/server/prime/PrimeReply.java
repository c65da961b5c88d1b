package dev.ricochet.server.prime;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Every line the prime service can send, encoded once. */
public enum PrimeReply {
    PRIME("prime"),
    COMPOSITE("composite"),
    BUSY("error: busy"),
    EMPTY("error: empty request"),
    NOT_A_NUMBER("error: not a decimal number"),
    OUT_OF_RANGE("error: number out of range (1 to 19 digits, at most " + Long.MAX_VALUE + ")"),
    LINE_TOO_LONG("error: line longer than " + PrimeLineFramer.MAX_LINE_BYTES + " bytes"),
    INTERNAL_ERROR("error: internal error");

    private final String text;
    private final byte[] encoded;

    PrimeReply(String text) {
        this.text = text + "\n";
        this.encoded = this.text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The reply's line, newline included. */
    public String text() {
        return text;
    }

    /** Appends the encoded line to {@code out}. */
    void writeTo(ByteBuf out) {
        out.writeBytes(encoded);
    }

    /** Copies the encoded line into {@code out} at {@code offset}; returns the offset after it. */
    public int writeTo(byte[] out, int offset) {
        System.arraycopy(encoded, 0, out, offset, encoded.length);
        return offset + encoded.length;
    }

    /** The encoded line's length in bytes, newline included. */
    public int length() {
        return encoded.length;
    }

    /** Whether the connection is closed once this reply is sent. */
    public boolean closesConnection() {
        return this == LINE_TOO_LONG;
    }

    static PrimeReply of(boolean prime) {
        return prime ? PRIME : COMPOSITE;
    }
}
