package dev.ricochet.server.tls;

import dev.ricochet.server.config.TlsSettings;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate chain, its private key (checked to be the certificate's) and the authorities
 * that client certificates must chain to: what the TLS files hold, parsed once, from which
 * each kind of engine takes the context it needs: Netty's {@code SslContext}
 * ({@link ServerTls}), or JSSE's {@link SSLContext} ({@link #jsseContext}) for blocking sockets.
 *
 * @param key       the private key
 * @param chain     the server's certificate first, then the intermediates
 * @param clientCas the authorities of mutual TLS; empty without it
 */
public record TlsMaterial(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> clientCas) {

    /** Parses the files and checks that the key is the certificate's. */
    static TlsMaterial parse(TlsSettings settings, TlsFiles files) throws TlsSetupException {
        List<X509Certificate> chain = PemFiles.certificates("--tls-cert", settings.certificate(), files.certificate());
        PrivateKey key = PemFiles.privateKey("--tls-key", settings.key(), files.key());
        List<X509Certificate> clientCas = files.clientCa() == null ? List.of()
                : PemFiles.certificates("--tls-client-ca", settings.clientCa(), files.clientCa());
        requireMatch(settings, key, chain.get(0));
        return new TlsMaterial(key, chain, clientCas);
    }

    /** The served certificate's end of validity. */
    public Instant notAfter() {
        return chain.get(0).getNotAfter().toInstant();
    }

    /** The served certificate's subject, for the logs. */
    public String subject() {
        return chain.get(0).getSubjectX500Principal().getName();
    }

    /**
     * A JSSE context serving this certificate, trusting {@link #clientCas} for client
     * certificates: for engines on blocking sockets ({@code SSLServerSocketFactory}). A server
     * socket of it asks for a client certificate only when told to:
     * {@code setNeedClientAuth(!clientCas().isEmpty())}.
     */
    public SSLContext jsseContext() throws GeneralSecurityException {
        char[] password = "ricochet".toCharArray(); // of an in-memory store, never written anywhere
        KeyStore keys = emptyStore();
        keys.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        TrustManagerFactory trustManagers = null;
        if (!clientCas.isEmpty()) {
            KeyStore trusted = emptyStore();
            for (int i = 0; i < clientCas.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, clientCas.get(i));
            }
            trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers == null ? null : trustManagers.getTrustManagers(),
                null);
        return context;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }

    /**
     * Signs with the key and verifies with the certificate: a key that is another certificate's
     * would otherwise be noticed only by clients, each failing its handshake (OpenSSL checks
     * this when it loads the pair, the JDK's engine does not).
     */
    private static void requireMatch(TlsSettings settings, PrivateKey key, X509Certificate certificate)
            throws TlsSetupException {
        String mismatch = "--tls-key: " + settings.key() + " is not the private key of the certificate in --tls-cert "
                + settings.certificate() + " (" + certificate.getSubjectX500Principal().getName() + ")";
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            throw new TlsSetupException(mismatch + ": a " + key.getAlgorithm() + " key for a "
                    + certificate.getPublicKey().getAlgorithm() + " certificate");
        }
        if (key instanceof RSAKey rsa && certificate.getPublicKey() instanceof RSAKey rsaPublic) {
            // RSA and RSASSA-PSS alike: a pair shares its modulus.
            if (!rsa.getModulus().equals(rsaPublic.getModulus())) {
                throw new TlsSetupException(mismatch);
            }
            return;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            String algorithm = signatureAlgorithm(key.getAlgorithm());
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new TlsSetupException(mismatch);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(mismatch + ": " + e.getMessage(), e);
        }
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EC" -> "SHA256withECDSA";
            default -> keyAlgorithm; // Ed25519, Ed448: the algorithm names its signature
        };
    }
}
