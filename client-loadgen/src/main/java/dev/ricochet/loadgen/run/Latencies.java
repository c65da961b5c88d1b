package dev.ricochet.loadgen.run;

import org.HdrHistogram.Histogram;

/**
 * The latency histograms of some stretch of a run, in nanoseconds, recorded only while
 * measuring. Two for the requests answered: {@code corrected} measures from when a request
 * was meant to be sent under the open-loop plan, so a stalled server also delays, and is
 * charged for, every request it kept from being sent (coordinated-omission correction, as wrk2
 * does); {@code uncorrected} measures from when it was actually sent. In closed loop the two
 * are the same. Nothing is corrected twice: no expected-interval recording, no after-the-fact
 * copy. A third for the requests the server shed, so that quick refusals never flatter the
 * latency of the requests actually served. A fourth, in open loop, for the pacing itself: how
 * late each request left after its planned send (the send clock's tick and the event loop's
 * own delays), which the corrected latency includes and the uncorrected one does not.
 *
 * <p>Mutable and reused, as {@link Counts} is: new histograms every second were most of the
 * load generator's garbage.
 */
public final class Latencies {

    private final Histogram corrected = RunStats.newHistogram();
    private final Histogram uncorrected = RunStats.newHistogram();
    private final Histogram shed = RunStats.newHistogram();
    private final Histogram sendLag = RunStats.newHistogram();

    /** Empty histograms, for values from 1 µs to an hour at three significant digits. */
    public Latencies() {
    }

    /**
     * Latency from the planned send time (open loop): answered requests, and those unanswered
     * at the end up to then, sent or not.
     */
    public Histogram corrected() {
        return corrected;
    }

    /** Latency from the actual send: answered requests, and those sent but unanswered at the end. */
    public Histogram uncorrected() {
        return uncorrected;
    }

    /** Latency of the requests the server shed, from the planned send. */
    public Histogram shed() {
        return shed;
    }

    /** Open loop: how late each request sent in the measurement left after its planned send. */
    public Histogram sendLag() {
        return sendLag;
    }

    /**
     * The latency a report leads with ({@code latency_corrected_ms}, a timeline's latency): in
     * open loop the corrected one; in closed loop, which has no plan to correct against, the
     * uncorrected one (there the corrected one differs only for requests sent again, charged
     * from their first send).
     */
    public Histogram leading(boolean openLoop) {
        return openLoop ? corrected : uncorrected;
    }

    /** Adds {@code other}'s histograms to these; {@code other} is left as it was. */
    public void add(Latencies other) {
        add(corrected, other.corrected);
        add(uncorrected, other.uncorrected);
        add(shed, other.shed);
        add(sendLag, other.sendLag);
    }

    /**
     * Adds {@code part} to {@code sum}; an empty one adds nothing. HdrHistogram's own
     * {@code add} of an empty histogram sets the sum's maximum to its lowest bucket's top (511
     * ns here): an empty sum would then differ from an empty histogram.
     */
    public static void add(Histogram sum, Histogram part) {
        if (part.getTotalCount() > 0) {
            sum.add(part);
        }
    }

    /** Empties every histogram. */
    public void reset() {
        corrected.reset();
        uncorrected.reset();
        shed.reset();
        sendLag.reset();
    }

    /** Stamps the wall-clock span the histograms cover (epoch milliseconds), as interval logs want. */
    void cover(long startMillis, long endMillis) {
        for (Histogram h : new Histogram[] {corrected, uncorrected, shed, sendLag}) {
            h.setStartTimeStamp(startMillis);
            h.setEndTimeStamp(endMillis);
        }
    }
}
