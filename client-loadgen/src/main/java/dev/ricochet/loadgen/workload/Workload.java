package dev.ricochet.loadgen.workload;

/** What the connections of a run send, and what they must get back. */
public interface Workload {

    /** The bytes the server sends first on every connection (empty when none). */
    byte[] greeting();

    /** Whether connections send requests at all (the idle workload only holds them). */
    default boolean sendsRequests() {
        return true;
    }

    /**
     * The request numbered {@code sequence}: each connection numbers its requests from its
     * own starting point, so the same number always gives the same request.
     */
    Request next(long sequence);
}
