package dev.ricochet.server.master;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalInt;

/**
 * A worker's side of {@code --processes}: whether this JVM is a worker, and the end of its
 * master. The master holds the write end of the worker's standard input and never writes:
 * the kernel closes it when the master exits, however it exits (SIGKILL included), and the
 * worker reads end-of-file at once. No polling, and no process id that could be reused.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    /** This worker's index when this JVM was started as a worker, empty otherwise. */
    public static OptionalInt workerIndex() {
        String index = System.getProperty(WorkerCommand.WORKER_PROPERTY);
        if (index == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(index));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Runs {@code onMasterGone} on a daemon thread of its own once {@code input} ends. */
    public static void start(InputStream input, Runnable onMasterGone) {
        Thread.ofPlatform().name("ricochet-master-watch").daemon().start(() -> {
            byte[] discarded = new byte[64];
            try {
                while (input.read(discarded) != -1) {
                    // The master writes nothing; anything read is ignored.
                }
            } catch (IOException e) {
                // Closed: the master is gone all the same.
            }
            onMasterGone.run();
        });
    }
}
