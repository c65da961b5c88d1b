package dev.ricochet.server.engine.blocking;

/** How an accepted connection meets a thread: the one thing the blocking engines differ in. */
interface Dispatcher {

    /**
     * Hands the connection to a thread (now or, queued, later).
     *
     * @return false when it was refused (no thread and no room to wait): the caller closes it
     */
    boolean dispatch(BlockingConnection connection);

    /** How connections meet threads here, for the "Listening" line: {@code one connection at a time}. */
    String description();

    /**
     * The listeners are closing: a connection still waiting to be handed over is refused
     * instead, so that closing them never waits for a client.
     */
    default void stopAccepting() {
    }

    /** Stops every thread this dispatcher started, once the connections they served are closed. */
    void shutdown();
}
