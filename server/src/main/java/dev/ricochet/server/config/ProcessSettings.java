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
 * @param spares  processes the master keeps started but not listening, each ready to take a dead
 *                worker's place at once ({@code --spare-processes}): a new JVM takes seconds to start
 */
public record ProcessSettings(int workers, int spares) {

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
    /**
     * Apache's prefork keeps idle children for the same reason (MinSpareServers): a process
     * started when it is needed comes too late. Ours are not even listening.
     */
    static final ServerOption<Integer> SPARES = ServerOption.number("--spare-processes", Range.between(0, 16), 0,
            "With --processes: worker processes started beforehand and kept waiting, not listening, each ready to"
                    + " take a dead worker's place at once (binding the ports takes milliseconds; starting a JVM,"
                    + " seconds).")
            .tuning(PROCESSES);
    static final List<ServerOption<?>> OPTIONS = List.of(PROCESSES, SPARES);

    public ProcessSettings {
        if (workers != 0) {
            PROCESSES.require(workers);
        }
        SPARES.require(spares);
    }

    /** This process serves: no master, no workers. */
    public static ProcessSettings single() {
        return new ProcessSettings(0, 0);
    }

    /** Whether this process is a master of workers rather than a server. */
    public boolean master() {
        return workers > 0;
    }

    static ProcessSettings from(OptionValues options) {
        // Set, even to 0, it is checked against its range: only unset means "no master".
        Integer workers = PROCESSES.require(options.value(PROCESSES));
        return new ProcessSettings(workers == null ? 0 : workers, options.value(SPARES));
    }
}
