package dev.ricochet.loadgen.report;

import dev.ricochet.loadgen.run.Latencies;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import org.HdrHistogram.Histogram;

/**
 * A histogram as text: HdrHistogram's compressed encoding in base64, the form its interval logs
 * use. It keeps every recorded value to the histogram's precision (values below its lowest
 * discernible value, 1 µs for latencies, share its first bucket), so histograms read back from
 * several runs add up exactly: percentiles of the sum, never averages of percentiles.
 */
public final class HistogramText {

    private HistogramText() {
    }

    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer, Deflater.BEST_COMPRESSION);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /**
     * Adds the histogram {@code text} encodes to {@code sum}: how the reports of several load
     * generators are merged. An empty one adds nothing ({@link Latencies#add(Histogram, Histogram)}).
     *
     * @throws IllegalArgumentException when {@code text} is not a histogram so encoded
     */
    public static void addTo(Histogram sum, String text) {
        Latencies.add(sum, decode(text));
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not a histogram so encoded
     */
    public static Histogram decode(String text) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(text));
            Histogram decoded = Histogram.decodeFromCompressedByteBuffer(buffer, 0);
            if (decoded.getTotalCount() == 0) {
                // An empty histogram decodes with a maximum of its lowest bucket's top, not 0:
                // added to others, it would raise their maximum. A fresh one has none.
                return new Histogram(decoded.getLowestDiscernibleValue(), decoded.getHighestTrackableValue(),
                        decoded.getNumberOfSignificantValueDigits());
            }
            return decoded;
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }
}
