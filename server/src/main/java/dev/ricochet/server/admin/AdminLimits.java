package dev.ricochet.server.admin;

import java.time.Duration;

/**
 * What one admin client may take. The admin port answers probes and scrapes of a few hundred
 * bytes; these bounds keep a hostile or broken client from holding its file descriptors or
 * memory, so that the probes Kubernetes sends keep getting through.
 *
 * @param maxHeaderBytes  request line plus headers beyond this are answered 431 and closed
 * @param requestTimeout  a connection whose next request is not complete this long after it
 *                        opened, or after the previous response, is closed (slow or idle)
 * @param maxConnections  admin connections open at once; one more replaces the oldest
 */
record AdminLimits(int maxHeaderBytes, Duration requestTimeout, int maxConnections) {

    /** A probe or a scrape request is well under 1 KB and completes in a millisecond on a LAN. */
    static final AdminLimits DEFAULT = new AdminLimits(8 * 1024, Duration.ofSeconds(5), 64);

    AdminLimits {
        if (maxHeaderBytes < 256) {
            throw new IllegalArgumentException("maxHeaderBytes: " + maxHeaderBytes + " (expected: >= 256)");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout: " + requestTimeout + " (expected: > 0)");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
        }
    }
}
