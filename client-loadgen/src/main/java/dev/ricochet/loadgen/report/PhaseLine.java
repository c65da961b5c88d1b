package dev.ricochet.loadgen.report;

import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.PhaseTally;
import dev.ricochet.loadgen.run.RateProfile;
import dev.ricochet.loadgen.run.RunResult;
import java.util.ArrayList;
import java.util.List;

/**
 * One phase of a rate profile as the reports show it: its span, the rate planned in it (this
 * process's share of the run's, as the run's other planned figures), and what became of its
 * requests.
 *
 * @param number       from 1, in the profile's order
 * @param startSeconds when it starts, in seconds into the measurement
 * @param endSeconds   when it ends
 * @param fromRate     requests per second planned at its start
 * @param toRate       at its end: {@code fromRate} for a step
 * @param tally        its requests, each counted in the phase of its planned send time
 */
record PhaseLine(int number, double startSeconds, double endSeconds, double fromRate, double toRate, PhaseTally tally) {

    /** The run's phases; none without a rate profile. */
    static List<PhaseLine> of(LoadSpec spec, RunResult result) {
        RateProfile profile = spec.load().profile();
        List<PhaseLine> lines = new ArrayList<>();
        if (profile == null || result.phases().size() != profile.segments().size()) {
            return lines;
        }
        LoadSpec.Shard shard = spec.shard();
        double share = shard.split() ? (double) shard.connections() / shard.runConnections() : 1;
        for (int p = 0; p < profile.segments().size(); p++) {
            RateProfile.Segment s = profile.segments().get(p);
            double start = profile.startSeconds(p);
            lines.add(new PhaseLine(p + 1, start, start + s.seconds(), s.from() * share, s.to() * share,
                    result.phases().get(p)));
        }
        return lines;
    }

    double seconds() {
        return endSeconds - startSeconds;
    }

    /** Requests answered per second of the phase (answered by now, planned in it). */
    double answeredPerSecond() {
        return tally.answered() / seconds();
    }

    boolean ramp() {
        return fromRate != toRate;
    }
}
