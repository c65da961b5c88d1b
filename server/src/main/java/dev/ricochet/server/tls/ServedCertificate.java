package dev.ricochet.server.tls;

import io.netty.handler.ssl.SslContext;

/**
 * What new connections are served with, swapped as one when the files change.
 *
 * @param files     the bytes they were read from, to tell the next change
 * @param material  the parsed certificate, key and client authorities
 * @param protocols the context of the echo and prime ports (asking for a client certificate under mutual TLS)
 * @param admin     the context of the admin port (never asking for one: Prometheus and probes have none);
 *                  null without --admin-tls
 */
record ServedCertificate(TlsFiles files, TlsMaterial material, SslContext protocols, SslContext admin) {
}
