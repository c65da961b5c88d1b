package dev.ricochet.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ricochet.loadgen.run.Latencies;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramTextTest {

    private static final long HOUR_NANOS = 3_600_000_000_000L;
    /** The latency histograms' lowest discernible value: below it, values share the first bucket. */
    private static final long MICROSECOND = 1_000;

    @Property
    void aHistogramReadBackHoldsEveryValueRecorded(
            @ForAll @Size(max = 300) List<@LongRange(min = MICROSECOND, max = HOUR_NANOS) Long> nanos) {
        Histogram recorded = histogramOf(nanos);
        assertThat(HistogramText.decode(HistogramText.encode(recorded))).isEqualTo(recorded);
    }

    /** What a merge of shards' reports relies on: the sum of their histograms is the union's. */
    @Property
    void shardsHistogramsReadBackAndAddedUpEqualTheHistogramOfAllTheirValues(
            @ForAll @Size(min = 1, max = 8) List<@Size(max = 100) List<@LongRange(min = MICROSECOND, max = HOUR_NANOS) Long>> shards) {
        Histogram merged = new Latencies().corrected();
        Histogram union = new Latencies().corrected();
        for (List<Long> shard : shards) {
            HistogramText.addTo(merged, HistogramText.encode(histogramOf(shard)));
            shard.forEach(union::recordValue);
        }
        assertThat(merged).isEqualTo(union);
        assertThat(merged.getValueAtPercentile(99)).isEqualTo(union.getValueAtPercentile(99));
    }

    @Test
    void anEmptyHistogramReadBackAddsNothingToAnother() {
        Histogram other = new Latencies().corrected();
        other.recordValue(5_000);
        long max = other.getMaxValue();
        HistogramText.addTo(other, HistogramText.encode(new Latencies().corrected()));
        assertThat(other.getMaxValue()).isEqualTo(max);
        assertThat(other.getTotalCount()).isEqualTo(1);
    }

    @Test
    void refusesTextThatIsNoHistogram() {
        assertThatThrownBy(() -> HistogramText.decode("bm90IGEgaGlzdG9ncmFt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an encoded histogram");
        assertThatThrownBy(() -> HistogramText.decode("%%%"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A histogram of the load generator's range and precision, as every run records. */
    private static Histogram histogramOf(List<Long> nanos) {
        Histogram h = new Latencies().corrected();
        nanos.forEach(h::recordValue);
        return h;
    }
}
