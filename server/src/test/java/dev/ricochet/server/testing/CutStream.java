package dev.ricochet.server.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A byte stream and the points where TCP happened to cut it into reads, for property tests
 * of the decoders.
 *
 * @param bytes the whole stream
 * @param cuts  ascending offsets into {@code bytes} where one read ends and the next begins
 */
public record CutStream(byte[] bytes, List<Integer> cuts) {

    /** The reads, in order: together they are exactly {@code bytes}. */
    public List<byte[]> reads() {
        List<byte[]> reads = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            reads.add(Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        reads.add(Arrays.copyOfRange(bytes, from, bytes.length));
        return reads;
    }

    @Override
    public String toString() {
        return "CutStream[" + new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n")
                + ", cuts=" + cuts + "]";
    }
}
