package dev.ricochet.loadgen.run;

/**
 * The run was asked to stop ({@link StopRequest}) before its measurement started, in its
 * connect phase or its warmup: nothing was measured, so there is nothing to report.
 */
public final class StoppedBeforeMeasuring extends Exception {

    private static final long serialVersionUID = 1L;

    private final String cause;
    private final Stage stage;

    StoppedBeforeMeasuring(String cause, Stage stage) {
        super(cause + " " + (stage == Stage.CONNECT ? "in the connect phase" : "in the warmup")
                + ", before the measurement: nothing was measured, no report written");
        this.cause = cause;
        this.stage = stage;
    }

    /** What asked the run to stop ({@code SIGTERM}). */
    public String stopCause() {
        return cause;
    }

    /** Where the run stood: {@link Stage#CONNECT} or {@link Stage#WARMUP}. */
    public Stage stage() {
        return stage;
    }
}
