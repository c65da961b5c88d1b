package dev.ricochet.server.engine.blocking;

import java.util.concurrent.ThreadFactory;

/**
 * A new thread for every connection, ended when it closes: platform threads (the classic
 * threaded server) or virtual threads (the JDK parks them on blocking I/O and runs others on
 * a few carrier threads).
 */
final class ThreadPerConnectionDispatcher implements Dispatcher {

    private final ThreadFactory threads;
    private final String description;

    private ThreadPerConnectionDispatcher(ThreadFactory threads, String description) {
        this.threads = threads;
        this.description = description;
    }

    static ThreadPerConnectionDispatcher platform() {
        return new ThreadPerConnectionDispatcher(Thread.ofPlatform().name("ricochet-conn-", 1).factory(),
                "a platform thread each");
    }

    static ThreadPerConnectionDispatcher virtual() {
        return new ThreadPerConnectionDispatcher(Thread.ofVirtual().name("ricochet-vconn-", 1).factory(),
                "a virtual thread each");
    }

    @Override
    public boolean dispatch(BlockingConnection connection) {
        try {
            threads.newThread(connection).start();
            return true;
        } catch (OutOfMemoryError e) {
            // "unable to create native thread": the process's or the machine's thread limit.
            // The one connection pays, not the server.
            BlockingEngine.threadRefused(e);
            return false;
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void shutdown() {
        // Each thread ends with its connection.
    }
}
