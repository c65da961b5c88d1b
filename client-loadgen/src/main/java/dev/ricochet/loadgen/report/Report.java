package dev.ricochet.loadgen.report;

import dev.ricochet.loadgen.run.FindRate;
import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RunResult;
import java.io.IOException;

/**
 * One output of a run: told of every interval as the run goes, and of the result at the end.
 * A report that has nothing to say at one of these leaves its method as it is.
 */
public interface Report extends AutoCloseable {

    /**
     * Called once a second, and once for the last interval, on the thread that drives the run.
     * The interval's histograms and counts are reused for the next one: whatever must outlive
     * the call is copied out of them during it.
     */
    default void interval(LoadRun.Interval interval) {
    }

    /** With {@code --find-rate}, called once each step of the search is judged, on the thread that drives the run. */
    default void step(FindRate.Step step) {
    }

    /** Called once, when the run is over, before {@link #close}. */
    default void end(LoadSpec spec, RunResult result) throws IOException {
    }

    /** Releases what the report holds open; called whether or not the run completed. */
    @Override
    default void close() throws IOException {
    }
}
