package dev.ricochet.server.engine.blocking;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * One thread serves one connection at a time, as the sequential server of Concurrent Servers does: the
 * next client is taken only when the current one has left. The acceptors wait for the
 * thread, so further clients wait in the kernel's accept queue, connected but not greeted.
 */
final class SequentialDispatcher implements Dispatcher {

    private final SynchronousQueue<BlockingConnection> handoff = new SynchronousQueue<>();
    private final Thread server = Thread.ofPlatform().name("ricochet-sequential").unstarted(this::serveInTurn);
    private volatile boolean stopping;

    SequentialDispatcher() {
        server.start();
    }

    @Override
    public boolean dispatch(BlockingConnection connection) {
        try {
            // Polls, so that an acceptor waiting here notices a shutdown.
            while (!stopping) {
                if (handoff.offer(connection, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public String description() {
        return "one connection at a time";
    }

    private void serveInTurn() {
        try {
            while (!stopping) {
                BlockingConnection next = handoff.poll(100, TimeUnit.MILLISECONDS);
                if (next != null) {
                    next.run();
                }
            }
        } catch (InterruptedException e) {
            // shutdown
        }
    }

    @Override
    public void stopAccepting() {
        stopping = true; // the connection being served goes on; the loop ends after it
    }

    @Override
    public void shutdown() {
        stopping = true;
        server.interrupt();
        try {
            server.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
