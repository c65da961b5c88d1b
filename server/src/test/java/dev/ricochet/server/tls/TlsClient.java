package dev.ricochet.server.tls;

import dev.ricochet.testing.TestPki;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.net.Socket;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLSocket;

/** A blocking TLS client on JSSE sockets, trusting one test authority, with a client certificate or none. */
final class TlsClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private final SSLSocket socket;

    private TlsClient(SSLSocket socket) {
        this.socket = socket;
    }

    /** A JSSE context trusting {@code ca}, presenting {@code certificate} when it is not null. */
    static SSLContext context(TestPki ca, TestPki.Issued certificate) throws Exception {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(ca.caFile().toFile());
        if (certificate != null) {
            builder.keyManager(certificate.certificate().toFile(), certificate.key().toFile());
        }
        return ((JdkSslContext) builder.build()).context();
    }

    /**
     * A JSSE context trusting {@code ca} that presents {@code certificate} whatever authorities
     * the server asks for: a JDK client otherwise sends none when its certificate is not of
     * one the server named, and an untrusted certificate would test a missing one.
     */
    static SSLContext presentingAnyway(TestPki ca, TestPki.Issued certificate) throws Exception {
        PrivateKey key = PemFiles.privateKey("key", certificate.key(), Files.readAllBytes(certificate.key()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("client", key, password, new X509Certificate[] {certificate.x509()});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        X509ExtendedKeyManager keys = (X509ExtendedKeyManager) factory.getKeyManagers()[0];
        X509ExtendedKeyManager always = new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"client"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "client";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return "client";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return keys.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return keys.getPrivateKey(alias);
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca.certificate());
        trust.init(trusted);
        context.init(new KeyManager[] {always}, trust.getTrustManagers(), null);
        return context;
    }

    /** Connects and finishes the handshake (throws when the server refuses it). */
    static TlsClient connect(SSLContext context, InetSocketAddress server) throws IOException {
        return handshake((SSLSocket) context.getSocketFactory().createSocket(server.getAddress(), server.getPort()));
    }

    /**
     * Connects, sends {@code prefix} in plaintext (what a load balancer puts ahead of its
     * client's bytes: a PROXY protocol header), then runs the handshake on the same connection.
     */
    static TlsClient connectAfter(SSLContext context, InetSocketAddress server, byte[] prefix) throws IOException {
        Socket plain = new Socket(server.getAddress(), server.getPort());
        try {
            plain.getOutputStream().write(prefix);
            plain.getOutputStream().flush();
            return handshake((SSLSocket) context.getSocketFactory().createSocket(plain,
                    server.getAddress().getHostAddress(), server.getPort(), true));
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    private static TlsClient handshake(SSLSocket socket) throws IOException {
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new TlsClient(socket);
    }

    X509Certificate serverCertificate() throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    TlsClient send(String ascii) throws IOException {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One write: one TLS record up to 16 KiB. */
    TlsClient send(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
        return this;
    }

    byte[] read(int n) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new IOException("closed after " + bytes.length + " of " + n + " bytes: "
                    + Arrays.toString(bytes));
        }
        return bytes;
    }

    String readAscii(int n) throws IOException {
        return new String(read(n), StandardCharsets.ISO_8859_1);
    }

    byte[] readToEnd() throws IOException {
        return socket.getInputStream().readAllBytes();
    }

    /** Whether the server closed the connection (end of stream, or a reset) rather than send more. */
    boolean serverClosed() {
        try {
            return socket.getInputStream().read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
