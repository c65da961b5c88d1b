package dev.ricochet.loadgen;

import dev.ricochet.loadgen.report.TextReport;
import dev.ricochet.loadgen.run.ErrorKind;
import dev.ricochet.loadgen.run.FindRate;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RunResult;
import java.util.Locale;
import java.util.Optional;

/** Whether a run passed: the exit code's reasons, in the order they are checked. */
public final class Verdict {

    private Verdict() {
    }

    /**
     * Why the run failed, or empty when it passed. A run a signal stopped before its end is not
     * the run asked for, whatever it measured: it fails, the interruption first, then what else
     * failed, if anything, in what ran of it.
     */
    public static Optional<String> failure(LoadSpec spec, RunResult result) {
        Optional<String> failure = failureAsMeasured(spec, result);
        if (result.interrupted()) {
            return Optional.of("interrupted " + interruption(spec, result) + failure.map(f -> "; and " + f).orElse(""));
        }
        return failure;
    }

    /**
     * What stopped the run, and when: {@code by SIGTERM after 14.2 s of the 20 s measurement};
     * with {@code --find-rate}, of the search, with the steps it judged.
     */
    public static String interruption(LoadSpec spec, RunResult result) {
        double measured = result.timing().measuredSeconds();
        if (result.findRate() != null) {
            long judged = result.findRate().steps().size();
            return String.format(Locale.ROOT, "by %s after %.1f s of the search, %d step%s judged", result.interruptedBy(),
                    measured, judged, judged == 1 ? "" : "s");
        }
        return String.format(Locale.ROOT, "by %s after %.1f s of the %s s measurement", result.interruptedBy(), measured,
                seconds(spec.timing().duration().toNanos() / 1e9));
    }

    /** Seconds without a fraction when whole: {@code 20}, {@code 1.5}. */
    private static String seconds(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.3f", s).replaceAll("0+$", "");
    }

    /** Why the run failed by what it measured, or empty when that passed. */
    private static Optional<String> failureAsMeasured(LoadSpec spec, RunResult result) {
        if (result.errors().byKind().get(ErrorKind.MISMATCH) > 0) {
            return Optional.of("replies did not match the protocol");
        }
        if (result.connections().neverUp() > 0) {
            // Fails the run whatever --max-error-rate allows: it did not run the load asked for.
            RunResult.Connections c = result.connections();
            return Optional.of(String.format(Locale.ROOT, "%d of %d connections never came up: %d failed connects%s",
                    c.neverUp(), spec.network().connections(), c.connectFailuresTotal(), TextReport.kinds(c.connectFailures())));
        }
        if (result.findRate() != null) {
            return searchFailure(result.findRate());
        }
        if (result.churn() != null) {
            return churnFailure(spec, result.churn());
        }
        if (result.errorRate() > spec.limits().maxErrorRate()) {
            return Optional.of(String.format(Locale.ROOT, "error rate %.6f above --max-error-rate %s",
                    result.errorRate(), spec.limits().maxErrorRate()));
        }
        if (result.shedRate() > spec.limits().maxShedRate()) {
            return Optional.of(String.format(Locale.ROOT, "shed rate %.6f above --max-shed-rate %s (the server"
                    + " refused %d requests as busy)", result.shedRate(), spec.limits().maxShedRate(), result.wholeRun().shed()));
        }
        if (result.achievedRatio() < spec.limits().minAchievedRate()) {
            return Optional.of(String.format(Locale.ROOT, "%d requests answered or shed of %d planned in the"
                    + " measurement (%.1f%%), below --min-achieved-rate %s",
                    result.measured().answered() + result.measured().shed(), result.counts().plannedMeasured(),
                    100 * result.achievedRatio(), spec.limits().minAchievedRate()));
        }
        if (spec.workload().sendsRequests() && result.measured().answered() + result.measured().shed() == 0) {
            return Optional.of("no request was answered");
        }
        return Optional.empty();
    }

    /**
     * A churn run passes when some connection planned in the measurement was done, and its
     * connections failed (over the whole run) within {@code --max-error-rate}.
     */
    private static Optional<String> churnFailure(LoadSpec spec, RunResult.Churn churn) {
        if (churn.done() == 0) {
            return Optional.of("no connection planned in the measurement was done (" + churn.failed() + " of "
                    + churn.planned() + " failed)");
        }
        double failedRate = churn.openedWholeRun() == 0 ? 0 : (double) churn.failedWholeRun() / churn.openedWholeRun();
        if (failedRate > spec.limits().maxErrorRate()) {
            return Optional.of(String.format(Locale.ROOT, "%d of %d connections failed (%.6f), above --max-error-rate"
                    + " %s", churn.failedWholeRun(), churn.openedWholeRun(), failedRate, spec.limits().maxErrorRate()));
        }
        return Optional.empty();
    }

    /**
     * A search passes when its answer held twice; the limits of a run of one rate do not apply
     * (each step was held to no error, nothing shed, and the rate achieved).
     */
    private static Optional<String> searchFailure(FindRate search) {
        if (search.confirmed() || search.ending() == FindRate.Ending.INTERRUPTED) {
            return Optional.empty(); // interrupted: the interruption is the reason (see failure)
        }
        if (search.ending() == FindRate.Ending.ERROR) {
            FindRate.Step last = search.steps().getLast();
            return Optional.of(String.format(Locale.ROOT, "the search ended on an error at step %d, %,d requests/s: %s",
                    last.number(), last.rate(), last.reason()));
        }
        if (search.answer().isEmpty()) {
            return Optional.of("no rate tried held " + search.search().goal());
        }
        return Optional.of(String.format(Locale.ROOT, "the answer, %,d requests/s, did not hold on its repeat: %s",
                search.answer().getAsLong(), search.repeatStep().map(FindRate.Step::reason).orElse("")));
    }
}
