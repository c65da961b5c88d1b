package dev.ricochet.server.kind;

/**
 * Which TLS implementation serves the encrypted ports ({@code --tls-provider}). Here, below both
 * the settings and the TLS package, because both name it.
 */
public enum TlsProvider {
    /** OpenSSL when its native library loads, the JDK's otherwise: the way auto takes epoll or NIO. */
    AUTO("auto"),
    /** OpenSSL (BoringSSL, from netty-tcnative-boringssl-static); exits 2 when it does not load. */
    OPENSSL("openssl"),
    /** The JDK's own SSLEngine: slower, but always there. */
    JDK("jdk");

    private final String cliName;

    TlsProvider(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }
}
