package dev.ricochet.loadgen;

import dev.ricochet.loadgen.run.StopRequest;
import java.io.PrintStream;
import java.util.List;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM stop a load run as wrk stops: the first ends the measurement at
 * that instant and the run reports what it measured, saying it was interrupted; the process then
 * exits with 128 + the signal's number (130, 143), the shell's convention. A second one, while
 * the run ends or its reports are written, exits at once.
 *
 * <p>Handlers of {@code sun.misc.Signal} (module {@code jdk.unsupported}, in the container
 * image's runtime too) rather than a shutdown hook. A hook runs once the JVM has started to
 * shut down: the reports would then be written during the shutdown, where registering a hook
 * (as libraries do, {@code File.deleteOnExit} among them) throws and {@code System.exit} blocks
 * forever; a second signal goes to the JVM's own handler, which blocks behind the first, so it
 * could not exit at once; and the exit status would be the JVM's. These handlers replace the
 * JVM's for the two signals only: no shutdown starts, the run ends and reports on its own
 * thread, and {@link Main} exits with the code asked for.
 */
final class SignalStop {

    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private SignalStop() {
    }

    /**
     * A stop request made by the first SIGINT or SIGTERM from now on. A signal the JVM may not
     * handle (under {@code -Xrs}) keeps its default, exiting at once; one this process was
     * started ignoring (SIGINT of a background job) stays ignored.
     *
     * @param err where each signal is acknowledged
     */
    static StopRequest install(PrintStream err) {
        StopRequest stop = new StopRequest();
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), signal -> received(stop, signal, err));
            } catch (IllegalArgumentException e) {
                // the JVM's default stays: the run is lost, as before
            }
        }
        return stop;
    }

    private static void received(StopRequest stop, Signal signal, PrintStream err) {
        String name = "SIG" + signal.getName();
        int code = 128 + signal.getNumber();
        if (stop.make(name, code)) {
            err.println("ricochet loadgen: " + name + ": ending the measurement now and writing the reports"
                    + " (SIGINT or SIGTERM again exits at once, without them)");
        } else {
            err.println("ricochet loadgen: " + name + " again: exiting at once, the reports unwritten or incomplete");
            err.flush();
            Runtime.getRuntime().halt(code);
        }
    }
}
