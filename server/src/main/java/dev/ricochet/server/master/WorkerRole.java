package dev.ricochet.server.master;

import dev.ricochet.server.logging.LogFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A worker's side of {@code --processes}: this JVM was started by a master, as worker
 * {@code <index>} or as a spare ({@code -Dricochet.worker=spare}), which starts everything
 * but its listeners and waits to take a dead worker's place.
 *
 * <p>The master speaks to it on its standard input: {@code serve <index>} makes a spare worker
 * {@code <index>}, and the end of the input says the master is gone. The master holds the
 * write end of that pipe alone; the kernel closes it when the master exits, however it exits
 * (SIGKILL included), so the worker reads end-of-file at once: no polling, and no process id
 * that could have been reused.
 */
public final class WorkerRole {

    /** The name a spare has until it takes a worker's place. */
    static final String SPARE = "spare";
    private static final String SERVE = "serve ";

    private final boolean spare;
    /** A spare's index once it is promoted, empty when it stops first. */
    private final CompletableFuture<OptionalInt> promotion = new CompletableFuture<>();

    private WorkerRole(boolean spare) {
        this.spare = spare;
    }

    /** This JVM's role when a master started it; empty for a server of its own. */
    public static Optional<WorkerRole> ofThisProcess() {
        String name = System.getProperty(WorkerCommand.WORKER_PROPERTY);
        return name == null ? Optional.empty() : Optional.of(new WorkerRole(SPARE.equals(name)));
    }

    /** Whether this JVM waits to take a dead worker's place, listening on nothing yet. */
    public boolean spare() {
        return spare;
    }

    /**
     * Reads the master's commands from {@code input} on a daemon thread of its own, and runs
     * {@code onMasterGone} when it ends.
     */
    public void listen(InputStream input, Runnable onMasterGone) {
        Thread.ofPlatform().name("ricochet-master-watch").daemon().start(() -> {
            try (BufferedReader commands = new BufferedReader(new InputStreamReader(input, StandardCharsets.US_ASCII))) {
                for (String line; (line = commands.readLine()) != null; ) {
                    if (line.startsWith(SERVE)) {
                        promote(Integer.parseInt(line.substring(SERVE.length()).trim()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // The master is gone, or speaks another version: either way, none to obey any more.
            }
            stopWaiting();
            onMasterGone.run();
        });
    }

    /**
     * A spare's wait for its promotion: the worker's index, or empty when it was asked to stop
     * (a signal, the master's end) first.
     */
    public OptionalInt awaitPromotion() {
        try {
            return promotion.get();
        } catch (ExecutionException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** A stop before the promotion: the spare's wait ends with nothing to serve. */
    public void stopWaiting() {
        promotion.complete(OptionalInt.empty());
    }

    private void promote(int index) {
        if (!promotion.isDone()) {
            // From here on each log line carries the index (log4j2.xml reads the property per line).
            System.setProperty(LogFormat.WORKER_PROPERTY, String.valueOf(index));
            promotion.complete(OptionalInt.of(index));
        }
    }
}
