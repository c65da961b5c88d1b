package dev.ricochet.loadgen.run;

import dev.ricochet.loadgen.workload.Request;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * What one {@link ConnectionSlot} sends next, and when: the numbers of its requests, and in
 * open loop its share of the run's plan. The plan belongs to the slot, not to a connection:
 * it outlives the connections that carry it, so that requests planned while the slot had no
 * connection are sent on the next one, at once, and charged from their planned time; those
 * still unsent when the measurement ends are counted as unanswered. Closed loop has no
 * schedule: a request is always due, charged from when it is sent. Confined to the slot's
 * event loop.
 *
 * <p>Open loop: the run plans its requests on one count scale, {@link PlannedCount} (C(t),
 * over every connection of every shard), and slot {@code i} of {@code N} takes its points on
 * it. Uniform arrivals: counts {@code i}, {@code i + N}, {@code i + 2N}, ..., so that at a
 * constant rate each slot sends every {@code N / rate} seconds, a {@code i / N} share of that
 * interval in, and through ramps and steps the slots keep taking turns in order. Poisson
 * arrivals: each next count is the last plus {@code N} times an exponential draw of mean 1,
 * from this slot's own random numbers (the run's seed and the slot's number), so that each
 * slot's gaps are exponential with the mean of its current interval, however the rate moves
 * (the time change of a Poisson process), and all the slots together are a Poisson process of
 * the run's rate. A slot's schedule starts at its first point at or after the moment its first
 * connection starts sending (Poisson: an exponential draw after it); the points before are
 * not its to send.
 *
 * <p>A search ({@code --find-rate}) appends each step's phases to the run's plan as the step
 * starts ({@link Schedule}). A plan whose next point lies past the end of the plan as it stands
 * does not know that point's time yet: it asks to be woken {@link #LOOK_AGAIN_NANOS} after the
 * end, or after now, and looks again then; the run appends each step
 * {@link #LOOK_AGAIN_NANOS} ahead at least, so that such a plan learns its point's time
 * before it is due. When a step starts, the requests of earlier steps not sent by then are
 * given up ({@link #abandonBefore}): an overloaded step's backlog is that step's, not the next's.
 */
final class SendPlan {

    /**
     * A request sent on a connection that the server closed before any byte of its reply, to
     * go out again on the slot's next connection before anything new.
     */
    record Resend(Request request, long sequence, long intendedNanos, long firstSentNanos) {
    }

    /**
     * How soon a plan past the end of an open plan looks again (see the class comment): a
     * search appends each step at least twice this ahead of its start.
     */
    static final long LOOK_AGAIN_NANOS = 5_000_000;

    /** Distinct values recorded at most for one plan's unsent backlog at the end. */
    private static final long MAX_BACKLOG_SAMPLES = 100_000;
    /** SplitMix64's increment: the golden ratio, in 64 bits. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** This slot's number in the whole run (over every shard). */
    private final int slot;
    /** The slots of the whole run. */
    private final int connections;
    /** Open loop: the run's plan; null in closed loop. */
    private final Schedule schedule;
    private final boolean poisson;
    /** Poisson: the state of this slot's random numbers (SplitMix64), one step per draw. */
    private long random;
    /** Per phase: the requests planned in it that were taken to be sent (or given up, see {@link #abandonBefore}). */
    private long[] taken;
    private long sequence;
    /** Rare (a server that closed in order between replies): allocated on the first. */
    private ArrayDeque<Resend> resends;
    private boolean started;
    /** The measurement's planned start, from which the schedule counts. */
    private long originNanos;
    /** The next request's point on the run's count scale, its phase, and its planned time. */
    private double nextCount;
    private int nextPhase;
    private long nextIntendedNanos;
    /**
     * Whether the next point lies past the end of an open plan: {@link #nextIntendedNanos} is
     * then when to look again, not the point's time.
     */
    private boolean pastOpenEnd;

    /**
     * @param slot        the slot's number in the whole run (over every shard), from 0 to
     *                    {@code connections - 1}: its requests are numbered from
     *                    {@code slot << 32}, so that slots draw different requests (and the
     *                    same ones in every run), and it takes every {@code connections}-th
     *                    point of the run's plan from {@code slot} on
     * @param connections the slots in the whole run, at least 1
     * @param schedule    open loop: the run's plan; null for closed loop
     * @param arrivals    open loop: how the slot's requests are spaced
     */
    SendPlan(int slot, int connections, PlannedCount schedule, LoadSpec.Arrivals arrivals) {
        this(slot, connections, schedule == null ? null : new Schedule(schedule), arrivals);
    }

    /** As above, on a plan that may grow (a search's). */
    SendPlan(int slot, int connections, Schedule schedule, LoadSpec.Arrivals arrivals) {
        this.slot = slot;
        this.connections = connections;
        this.schedule = schedule;
        this.poisson = arrivals.poisson();
        this.random = mix(mix(arrivals.seed()) + slot);
        this.taken = schedule == null ? null : new long[Math.max(1, schedule.current().phases())];
        this.sequence = (long) slot << 32;
    }

    boolean openLoop() {
        return schedule != null;
    }

    /**
     * Starts the schedule when the slot's first connection starts sending; later calls leave
     * it as it is.
     *
     * @param originNanos the measurement's planned start, which the run's plan counts from
     */
    void start(long now, long originNanos) {
        if (started) {
            return;
        }
        started = true;
        if (!openLoop()) {
            return;
        }
        this.originNanos = originNanos;
        PlannedCount plan = schedule.current();
        nextPhase = 0;
        aim(plan, firstPointFrom(plan.countAt(now - originNanos)), now);
    }

    /** This slot's first point at or after {@code count} (Poisson: an exponential draw after it). */
    private double firstPointFrom(double count) {
        if (poisson) {
            return count + connections * exponential();
        }
        // The first of this slot's points (slot, slot + N, ...) at or after count.
        return Math.ceil((count - slot) / connections) * connections + slot;
    }

    /** Makes {@code count} the next point, and finds its phase and time on {@code plan}. */
    private void aim(PlannedCount plan, double count, long now) {
        nextCount = count;
        nextPhase = plan.phaseOf(count, nextPhase);
        long nanos = plan.nanosOf(count, nextPhase);
        pastOpenEnd = nanos == Long.MAX_VALUE && plan.open();
        if (pastOpenEnd) {
            nextIntendedNanos = Math.max(originNanos + plan.endNanos(), now) + LOOK_AGAIN_NANOS;
        } else {
            nextIntendedNanos = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : originNanos + nanos;
        }
    }

    /** Past the end of an open plan, looks again at the plan as it stands now; otherwise nothing. */
    private void lookAgain(long now) {
        if (pastOpenEnd) {
            aim(schedule.current(), nextCount, now);
        }
    }

    /** Whether a request is due at {@code now}: always in closed loop; once its planned time has come in open loop. */
    boolean due(long now) {
        if (!openLoop()) {
            return true;
        }
        if (pastOpenEnd && nextIntendedNanos <= now) {
            lookAgain(now);
        }
        return !pastOpenEnd && nextIntendedNanos <= now;
    }

    /** Open loop: when the next request is due; {@link Long#MAX_VALUE} past the plan's end. */
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
        countTaken(nextPhase, 1);
        aim(schedule.current(), after(nextCount), now);
        return intended;
    }

    private void countTaken(int phase, long count) {
        if (phase < 0) {
            return; // planned in the warmup of a profile
        }
        if (phase >= taken.length) {
            taken = Arrays.copyOf(taken, Math.max(phase + 1, 2 * taken.length));
        }
        taken[phase] += count;
    }

    private long timeOf(PlannedCount plan, double count, int phase) {
        long nanos = plan.nanosOf(count, phase);
        return nanos == Long.MAX_VALUE ? Long.MAX_VALUE : originNanos + nanos;
    }

    /** The slot's point after {@code count}. */
    private double after(double count) {
        return poisson ? count + connections * exponential() : count + connections;
    }

    /** An exponential draw of mean 1 from this slot's random numbers. */
    private double exponential() {
        random += GOLDEN_GAMMA;
        return exponential(random);
    }

    /** The exponential draw of mean 1 that SplitMix64 state {@code state} gives. */
    private static double exponential(long state) {
        double uniform = (mix(state) >>> 11) * 0x1.0p-53; // [0, 1)
        return -Math.log1p(-uniform);
    }

    /** SplitMix64's finalizer: spreads the bits of {@code z} over the whole long. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
     * Open loop, when the measurement ends: counts the requests the schedule put inside each
     * phase as planned (those taken, and those still unsent), and every one planned up to
     * {@code measureEndNanos} but not sent as unanswered, with its latency up to {@code now}.
     * A schedule that never started (the slot never had a connection up) starts at
     * {@code originNanos}.
     *
     * @param originNanos the measurement's planned start, which the run's plan counts from
     */
    void finish(long now, long originNanos, long measureEndNanos, LoopStats loopStats) {
        for (Resend r = takeResend(); r != null; r = takeResend()) {
            // Sent once, and not answered: unanswered, from its first send.
            loopStats.unanswered(now, r.intendedNanos(), r.firstSentNanos());
        }
        if (!openLoop()) {
            return;
        }
        start(originNanos, originNanos);
        for (int phase = 0; phase < taken.length; phase++) {
            loopStats.planned(phase, taken[phase]);
        }
        forEachUnsent(measureEndNanos, (phase, intendedNanos, count) -> {
            if (phase >= 0) { // planned in the measurement, not in the warmup
                loopStats.planned(phase, count);
            }
            loopStats.unansweredUnsent(now, intendedNanos, count);
        });
    }

    /**
     * Hands each run of the requests planned up to {@code until} but not sent to
     * {@code unsent}, with the phase they were planned in (-1: in the warmup) and their planned
     * time. A long outage at a high rate can leave millions behind: past
     * {@link #MAX_BACKLOG_SAMPLES} each value stands for a run of consecutive requests of one
     * phase (with their count), so that ending a run stays quick; the times are off by less
     * than one run's span. Leaves the plan as it was.
     */
    void forEachUnsent(long until, Unsent unsent) {
        if (!started) {
            return;
        }
        PlannedCount schedule = this.schedule.current();
        if (!pastOpenEnd && nextIntendedNanos > until) {
            return;
        }
        // A request is planned by `until` when C has passed its count by the nanosecond after.
        double limit = schedule.countAt(until + 1 - originNanos);
        long stride = Math.max(1, (long) Math.ceil((limit - nextCount) / connections / MAX_BACKLOG_SAMPLES));
        double count = nextCount;
        int phase = schedule.phaseOf(count, nextPhase); // past an open end, found on an older plan
        long state = random;
        while (count < limit) {
            double end = Math.min(limit, schedule.countAtPhaseStart(phase + 1));
            double first = count;
            double last = count;
            long n = 0;
            if (poisson) {
                while (count < end && n < stride) {
                    last = count;
                    n++;
                    state += GOLDEN_GAMMA;
                    count += connections * exponential(state);
                }
            } else {
                n = Math.min(stride, (long) Math.ceil((end - count) / connections));
                last = count + (n - 1) * (double) connections;
                count += n * (double) connections;
            }
            double middle = (first + last) / 2;
            unsent.record(phase, timeOf(schedule, middle, schedule.phaseOf(middle, phase)), n);
            phase = schedule.phaseOf(count, phase);
        }
    }

    /**
     * A search's step starts at {@code stepStartNanos}: the requests planned before it and not
     * sent by now are given up, each counted as taken in its phase and as unanswered, never
     * sent, with its latency up to {@code now}, and the plan goes on from its first point in
     * the step. Without it an overloaded step's backlog would be sent in the next step, and
     * charged to it. Requests already sent keep their fate: their replies count in their phase.
     */
    void abandonBefore(long stepStartNanos, long now, LoopStats loopStats) {
        if (!openLoop() || !started) {
            return;
        }
        forEachUnsent(stepStartNanos - 1, (phase, intendedNanos, count) -> {
            countTaken(phase, count);
            loopStats.unansweredUnsent(now, intendedNanos, count);
        });
        PlannedCount plan = schedule.current();
        double stepStart = plan.countAt(stepStartNanos - originNanos);
        if (nextCount < stepStart) {
            aim(plan, firstPointFrom(stepStart), now);
        }
    }

    /**
     * A search judges the window of one of its steps, phase {@code phase}, from
     * {@code fromNanos} to {@code toNanos}: adds to {@code window} the requests this plan put in
     * it, and as unanswered, with their latency up to {@code now}, those of them not sent yet
     * and those waiting to be sent again on a new connection. Leaves the plan as it was.
     */
    void addUnresolved(int phase, long fromNanos, long toNanos, long now, PhaseTally window) {
        if (!openLoop()) {
            return;
        }
        if (phase < taken.length) {
            window.planned += taken[phase];
        }
        if (resends != null) {
            for (Resend r : resends) {
                if (r.intendedNanos() >= fromNanos && r.intendedNanos() < toNanos) {
                    window.recordUnanswered(now, r.intendedNanos(), r.firstSentNanos());
                }
            }
        }
        forEachUnsent(Math.min(now, toNanos - 1), (p, intendedNanos, count) -> {
            if (p == phase) {
                window.planned += count;
                window.recordUnansweredUnsent(now, intendedNanos, count);
            }
        });
    }

    /** Where the unsent requests of a plan are counted: {@link LoopStats} in a run. */
    @FunctionalInterface
    interface Unsent {
        /**
         * @param phase         the phase they were planned in; -1 for the warmup
         * @param intendedNanos their planned time (of the run's middle one)
         * @param count         how many
         */
        void record(int phase, long intendedNanos, long count);
    }
}
