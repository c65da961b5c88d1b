package dev.ricochet.server.connection;

/**
 * How a TLS client's first bytes begin: a handshake record (its ClientHello) of TLS's major
 * version, {@code 0x16 0x03}, whatever minor version follows. What a plaintext port looks for
 * to tell a client that speaks TLS to the wrong port: neither protocol of ours begins a
 * connection so (the echo protocol's bytes before a {@code ^} are ignored anyway, and a prime
 * request is digits).
 */
public final class TlsRecordStart {

    /** The first byte: a handshake record's content type. */
    public static final int HANDSHAKE_RECORD = 0x16;
    /** The second byte: the record version's major part, 3 from SSL 3.0 to TLS 1.3. */
    public static final int TLS_MAJOR_VERSION = 0x03;

    private TlsRecordStart() {
    }
}
