package dev.ricochet.loadgen;

/**
 * How many event loops a run gets unless {@code --io-threads} says: in open loop, as few as
 * its rate needs, since each loop wakes at every tick of its own send clock whether it sends
 * one request then or ten, and those wake-ups, not the requests, are most of the load
 * generator's CPU at moderate rates (issue 26, bench/loadgen-vs-tcpkali.sh: at 20,000
 * requests/s over 1,000 connections, one loop cost 22.6 µs per request and two 32.3, on 2 cores
 * shared with the server). One loop given 50,000/s fell behind its own plan there (send lag p99
 * 4 to 53 ms, against 0.4 ms at 20,000/s): a loop is given half that. Closed loop sends as fast
 * as replies come, and gets every core.
 */
final class DefaultIoThreads {

    /** Requests per second one event loop is given in open loop. */
    static final double RATE_PER_LOOP = 25_000;
    static final String RATE_PER_LOOP_TEXT = "25,000";

    private DefaultIoThreads() {
    }

    /**
     * @param peakRate open loop: the highest rate this process plans, requests per second; 0
     *                 for closed loop or a run that sends nothing
     * @param cores    the CPU cores this process may use
     */
    static int of(double peakRate, int cores) {
        if (peakRate <= 0) {
            return cores;
        }
        return (int) Math.max(1, Math.min(cores, Math.ceil(peakRate / RATE_PER_LOOP)));
    }
}
