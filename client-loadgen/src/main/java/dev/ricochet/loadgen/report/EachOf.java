package dev.ricochet.loadgen.report;

import java.io.IOException;
import java.util.List;

/**
 * Runs one I/O step on each of several outputs, every one of them even when one fails: a report
 * that cannot be written must not cost the others theirs.
 */
final class EachOf {

    /** One output's step. */
    @FunctionalInterface
    interface Step<T> {
        void run(T target) throws IOException;
    }

    private EachOf() {
    }

    /** @throws IOException the first failure, with the later ones suppressed in it */
    static <T> void run(List<T> targets, Step<T> step) throws IOException {
        IOException failure = null;
        for (T target : targets) {
            try {
                step.run(target);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
