package dev.ricochet.server.prime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Every line the prime service can send, encoded once. */
public enum PrimeReply {
    PRIME("prime"),
    COMPOSITE("composite"),
    BUSY("error: busy"),
    EMPTY("error: empty request"),
    NOT_A_NUMBER("error: not a decimal number"),
    OUT_OF_RANGE("error: number out of range (1 to 19 digits, at most " + Long.MAX_VALUE + ")"),
    LINE_TOO_LONG("error: line longer than " + PrimeRequestDecoder.MAX_LINE_BYTES + " bytes"),
    INTERNAL_ERROR("error: internal error");

    private final String text;
    private final ByteBuf encoded;

    PrimeReply(String text) {
        this.text = text + "\n";
        this.encoded = Unpooled.unreleasableBuffer(
                Unpooled.wrappedBuffer(this.text.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }

    /** The reply's line, newline included. */
    public String text() {
        return text;
    }

    /** A view of the encoded line to write; it needs no release (the bytes are shared). */
    ByteBuf buffer() {
        return encoded.duplicate();
    }

    /** Whether the connection is closed once this reply is sent. */
    boolean closesConnection() {
        return this == LINE_TOO_LONG;
    }

    static PrimeReply of(boolean prime) {
        return prime ? PRIME : COMPOSITE;
    }
}
