package dev.ricochet.loadgen.run;

import dev.ricochet.loadgen.workload.Request;
import java.util.ArrayDeque;

/**
 * What one {@link ConnectionSlot} sends next, and when: the numbers of its requests, and in
 * open loop its constant-rate schedule. The plan belongs to the slot, not to a connection:
 * it outlives the connections that carry it, so that requests planned while the slot had no
 * connection are sent on the next one, at once, and charged from their planned time; those
 * still unsent when the measurement ends are counted as unanswered. Closed loop has no
 * schedule: a request is always due, charged from when it is sent. Confined to the slot's
 * event loop.
 */
final class SendPlan {

    /**
     * A request sent on a connection that the server closed before any byte of its reply, to
     * go out again on the slot's next connection before anything new.
     */
    record Resend(Request request, long sequence, long intendedNanos, long firstSentNanos) {
    }

    /** Distinct values recorded at most for one plan's unsent backlog at the end. */
    private static final long MAX_BACKLOG_SAMPLES = 100_000;

    /** Open loop: the time between two planned requests; 0 in closed loop. */
    private final long intervalNanos;
    /** Open loop: this slot's phase within the interval, so that the slots' plans interleave evenly. */
    private final long offsetNanos;
    private long sequence;
    /** Rare (a server that closed in order between replies): allocated on the first. */
    private ArrayDeque<Resend> resends;
    private boolean started;
    private long startNanos;
    private long nextIntendedNanos;

    /**
     * @param index         the slot's number in the whole run (over every shard), from 0 to
     *                      {@code connections - 1}: its requests are numbered from
     *                      {@code index << 32}, so that slots draw different requests (and the
     *                      same ones in every run), and its phase is its share of the interval
     * @param connections   the slots in the whole run, at least 1
     * @param intervalNanos open loop: the time between two planned requests of one slot, at
     *                      least 1; 0 for closed loop
     */
    SendPlan(int index, int connections, long intervalNanos) {
        this.intervalNanos = intervalNanos;
        this.offsetNanos = (long) ((double) intervalNanos * index / connections);
        this.sequence = (long) index << 32;
    }

    boolean openLoop() {
        return intervalNanos > 0;
    }

    /** Starts the schedule when the slot's first connection starts sending; later calls leave it as it is. */
    void start(long now) {
        if (!started) {
            started = true;
            startNanos = now + offsetNanos;
            nextIntendedNanos = startNanos;
        }
    }

    /** Whether a request is due at {@code now}: always in closed loop; once its planned time has come in open loop. */
    boolean due(long now) {
        return !openLoop() || nextIntendedNanos <= now;
    }

    /** Open loop: when the next request is due. */
    long nextIntendedNanos() {
        return nextIntendedNanos;
    }

    /**
     * Takes the next request's intended send time, which its corrected latency counts from:
     * in open loop its planned time, and the schedule moves on; in closed loop {@code now}.
     */
    long takeIntended(long now) {
        if (!openLoop()) {
            return now;
        }
        long intended = nextIntendedNanos;
        nextIntendedNanos += intervalNanos;
        return intended;
    }

    /** The number of the next request; each number is used once. */
    long takeSequence() {
        return sequence++;
    }

    long nextSequence() {
        return sequence;
    }

    /**
     * Takes back the requests of a connection the server closed, in order, before any byte of
     * their replies: it took none of them (a server that had read a request would have begun its
     * reply; Ricochet's drain closes only at a frame boundary, its prime drain only once every
     * request read is answered), so they are sent again, first, on the slot's next connection,
     * and keep their planned time, as an HTTP client sends an idempotent request again on a new
     * connection when the server closed its idle one. {@code outstanding} is left empty.
     *
     * @return how many were taken back
     */
    int takeBack(Outstanding outstanding) {
        int count = outstanding.size();
        if (count > 0 && resends == null) {
            resends = new ArrayDeque<>();
        }
        while (!outstanding.isEmpty()) {
            resends.add(new Resend(outstanding.oldest(), outstanding.oldestSequence(), outstanding.oldestIntendedNanos(),
                    outstanding.oldestSentNanos()));
            outstanding.removeOldest();
        }
        return count;
    }

    /** The oldest request taken back and not sent again yet, taken off; null when there is none. */
    Resend takeResend() {
        return resends == null ? null : resends.poll();
    }

    /**
     * Open loop, when the measurement ends: counts the requests the schedule put inside the
     * measurement as planned, and every one planned up to {@code measureEndNanos} but not
     * sent as unanswered, with its latency up to {@code now}. A schedule that never started
     * (the slot never had a connection up) starts at {@code measureStartNanos}.
     */
    void finish(long now, long measureStartNanos, long measureEndNanos, LoopStats loopStats) {
        for (Resend r = takeResend(); r != null; r = takeResend()) {
            // Sent once, and not answered: unanswered, from its first send.
            loopStats.unanswered(now - r.intendedNanos(), now - r.firstSentNanos());
        }
        if (!openLoop()) {
            return;
        }
        start(measureStartNanos);
        loopStats.planned(plannedBetween(measureStartNanos, measureEndNanos));
        forEachUnsent(now, measureEndNanos, loopStats::unansweredUnsent);
    }

    /** How many of the schedule's times fall in [from, to]. */
    long plannedBetween(long from, long to) {
        if (to < startNanos) {
            return 0;
        }
        long last = (to - startNanos) / intervalNanos;
        long first = from <= startNanos ? 0 : (from - startNanos + intervalNanos - 1) / intervalNanos;
        return Math.max(0, last - first + 1);
    }

    /**
     * Hands each run of the requests planned up to {@code until} but not sent to
     * {@code unsent}, with its latency up to {@code now}. A long outage at a high rate can
     * leave millions behind: past {@link #MAX_BACKLOG_SAMPLES} each value stands for a run of
     * consecutive requests (with their count), so that ending a run stays quick; the values
     * are off by less than one stride.
     */
    void forEachUnsent(long now, long until, Unsent unsent) {
        if (nextIntendedNanos > until) {
            return;
        }
        long count = (until - nextIntendedNanos) / intervalNanos + 1;
        long stride = Math.max(1, (count + MAX_BACKLOG_SAMPLES - 1) / MAX_BACKLOG_SAMPLES);
        for (long first = 0; first < count; first += stride) {
            long n = Math.min(stride, count - first);
            long middle = nextIntendedNanos + (first + n / 2) * intervalNanos;
            unsent.record(now - middle, n);
        }
    }

    /** Where the unsent requests of a plan are counted: {@link LoopStats#unansweredUnsent} in a run. */
    @FunctionalInterface
    interface Unsent {
        void record(long sinceIntendedNanos, long count);
    }
}
