package dev.ricochet.server.admin;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the server should receive new traffic: false while it starts and from the moment
 * it begins to drain, so that a load balancer or Kubernetes stops sending clients first.
 */
public final class Readiness {

    private final AtomicBoolean ready = new AtomicBoolean();

    public void ready() {
        ready.set(true);
    }

    public void notReady() {
        ready.set(false);
    }

    public boolean isReady() {
        return ready.get();
    }
}
