package dev.ricochet.benchreport;

/**
 * The figures of one run of {@code bench/compare-engines.sh} that the charts draw. A figure
 * the run did not give (the server did not start, the load generator wrote no report) is
 * {@code NaN}.
 *
 * @param engine            the server's {@code --engine}
 * @param scenario          {@code echo_closed_loop}, {@code echo_closed_loop_tls} (in the tables, not
 *                          charted), {@code echo_open_loop} or {@code prime_mixed}
 * @param connections       the load generator's connections (the main load, not the echo probe)
 * @param requestsPerSecond requests answered per second over the measurement
 * @param p99Millis         corrected 99th percentile latency, milliseconds
 * @param rssPeakMib        the server's peak resident memory (VmHWM), MiB
 * @param threadsPeak       the most threads the server had at one sample
 * @param errors            errors of every kind over the whole run
 * @param probeP99Millis    prime_mixed only: the echo probe's corrected p99, milliseconds
 */
record EngineRun(
        String engine,
        String scenario,
        int connections,
        double requestsPerSecond,
        double p99Millis,
        double rssPeakMib,
        double threadsPeak,
        double errors,
        double probeP99Millis) {

    static final String ECHO_CLOSED_LOOP = "echo_closed_loop";
    static final String PRIME_MIXED = "prime_mixed";
}
