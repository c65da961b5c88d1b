package dev.ricochet.server.tls;

import dev.ricochet.server.config.TlsSettings;
import java.util.Arrays;

/**
 * The bytes of the TLS files as read at one moment: what a reload compares to tell that they
 * changed, before it parses anything.
 *
 * @param certificate the --tls-cert file
 * @param key         the --tls-key file
 * @param clientCa    the --tls-client-ca file, or null without mutual TLS
 */
record TlsFiles(byte[] certificate, byte[] key, byte[] clientCa) {

    static TlsFiles read(TlsSettings settings) throws TlsSetupException {
        return new TlsFiles(PemFiles.read("--tls-cert", settings.certificate()),
                PemFiles.read("--tls-key", settings.key()),
                settings.clientCa() == null ? null : PemFiles.read("--tls-client-ca", settings.clientCa()));
    }

    /** Same bytes in every file (a record's own equals compares arrays by identity). */
    boolean sameAs(TlsFiles other) {
        return other != null && Arrays.equals(certificate, other.certificate) && Arrays.equals(key, other.key)
                && Arrays.equals(clientCa, other.clientCa);
    }
}
