package dev.ricochet.server.config;

import dev.ricochet.cli.Range;
import java.util.List;

/**
 * Whether this process serves the ports itself, or is the master of worker processes that do
 * ({@code --processes}): the process models of the literature, each worker running the chosen
 * engine (prefork is {@code --processes N --engine sequential}, Apache's worker MPM
 * {@code --engine thread-pool}, nginx {@code --engine netty --io-threads 1}).
 *
 * @param workers worker processes the master keeps running ({@code --processes}); 0 when the
 *                option is unset: no master, this process serves
 */
public record ProcessSettings(int workers) {

    /**
     * Apache's ServerLimit for prefork: the most processes its literature runs. Each worker is
     * a JVM of tens of MiB, so the real limit is memory; more than this is a typo.
     */
    static final int MAX_WORKERS = 256;
    static final ServerOption<Integer> PROCESSES = ServerOption.optionalNumber("--processes",
            Range.between(1, MAX_WORKERS),
            "Run a master that starts this many worker processes of the chosen engine, all serving the same echo"
                    + " and prime ports (SO_REUSEPORT: the kernel spreads new connections over them), restarts a"
                    + " worker that dies, drains them all on SIGTERM and serves one admin port for them all"
                    + " (docs/operations.md, Processes). Unset: this process serves.");
    static final List<ServerOption<?>> OPTIONS = List.of(PROCESSES);

    public ProcessSettings {
        if (workers != 0) {
            PROCESSES.require(workers);
        }
    }

    /** This process serves: no master, no workers. */
    public static ProcessSettings single() {
        return new ProcessSettings(0);
    }

    /** Whether this process is a master of workers rather than a server. */
    public boolean master() {
        return workers > 0;
    }

    static ProcessSettings from(OptionValues options) {
        // Set, even to 0, it is checked against its range: only unset means "no master".
        Integer workers = PROCESSES.require(options.value(PROCESSES));
        return new ProcessSettings(workers == null ? 0 : workers);
    }
}
