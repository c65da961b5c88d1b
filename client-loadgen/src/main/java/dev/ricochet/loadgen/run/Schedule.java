package dev.ricochet.loadgen.run;

import java.util.List;

/**
 * The run's open-loop plan as every event loop reads it: one {@link PlannedCount} for a run of
 * one rate or one profile; for a search ({@code --find-rate}), one that the run's thread
 * replaces by a longer one as each step starts, each new one the old one with the step's phases
 * appended. A reader takes {@link #current} once and works on that one, so that the phases it
 * finds and the times it computes come from the same plan; a later one only adds phases past
 * the end of the earlier ones, so nothing a reader found there changes.
 */
final class Schedule {

    private volatile PlannedCount current;

    Schedule(PlannedCount first) {
        this.current = first;
    }

    /** The plan as it stands: read once per use, from any thread. */
    PlannedCount current() {
        return current;
    }

    /**
     * Appends {@code segments} from {@code startNanos} into the measurement (a silence fills
     * the time since the end); from the run's thread only.
     */
    void append(long startNanos, List<RateProfile.Segment> segments) {
        current = current.plus(startNanos, segments);
    }

    /** Nothing more will be appended: a plan past the end plans nothing more. From the run's thread only. */
    void close() {
        current = current.closed();
    }

    /** When each phase starts, {@link System#nanoTime()} time, for a measurement that starts at {@code originNanos}. */
    LoopPhases.Starts startsFrom(long originNanos) {
        return new LoopPhases.Starts() {
            @Override
            public int count() {
                return current.phases();
            }

            @Override
            public long start(int phase) {
                return originNanos + current.phaseStartNanos(phase);
            }
        };
    }
}
