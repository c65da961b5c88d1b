package dev.ricochet.loadgen.report;

import dev.ricochet.loadgen.run.FindRate;
import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RunResult;
import java.io.IOException;
import java.util.List;

/** Several reports as one: each is told everything, in the order given. */
public final class Reports implements Report {

    private final List<Report> reports;

    public Reports(List<Report> reports) {
        this.reports = List.copyOf(reports);
    }

    @Override
    public void interval(LoadRun.Interval interval) {
        for (Report report : reports) {
            report.interval(interval);
        }
    }

    @Override
    public void step(FindRate.Step step) {
        for (Report report : reports) {
            report.step(step);
        }
    }

    @Override
    public void end(LoadSpec spec, RunResult result) throws IOException {
        for (Report report : reports) {
            report.end(spec, result);
        }
    }

    /** Closes every report, even when one fails to: the first failure is thrown, with the others suppressed. */
    @Override
    public void close() throws IOException {
        EachOf.run(reports, Report::close);
    }
}
