package dev.ricochet.loadgen.workload;

/** What the connections of a run send, and what they must get back. */
public interface Workload {

    /** As {@code --workload} names it: echo, prime or idle. */
    String name();

    /** The bytes the server sends first on every connection (empty when none). */
    byte[] greeting();

    /** Whether connections send requests at all (the idle workload only holds them). */
    default boolean sendsRequests() {
        return true;
    }

    /**
     * The reply with which the server sheds a request it has no room for (a legitimate
     * answer under overload, counted apart from errors), or null when the protocol has none.
     * It must differ from every expected reply in its first byte, which tells them apart.
     */
    default byte[] shedReply() {
        return null;
    }

    /**
     * The request numbered {@code sequence}: each connection numbers its requests from its
     * own starting point, so the same number always gives the same request.
     */
    Request next(long sequence);
}
