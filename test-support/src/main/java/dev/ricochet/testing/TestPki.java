package dev.ricochet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for tests: it issues certificates and keys as PEM files (PKCS#8 keys,
 * the form {@code --tls-key} reads), so that TLS tests need no files checked in and no
 * certificate that expires under them. Keys are EC P-256: quick to make, and taken by both
 * OpenSSL and the JDK.
 *
 * <pre>{@code
 * TestPki ca = TestPki.create(tempDir, "test CA");
 * TestPki.Issued server = ca.server("localhost", "127.0.0.1");
 * TestPki.Issued expired = ca.client("alice", Instant.now().minus(Duration.ofDays(2)),
 *         Instant.now().minus(Duration.ofDays(1)));
 * }</pre>
 */
public final class TestPki {

    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9.]+|.*:.*");
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final Path caFile;

    private TestPki(Path dir, String name, KeyPair keys, X509Certificate certificate, Path caFile) {
        this.dir = dir;
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
        this.caFile = caFile;
    }

    /**
     * A new self-signed authority, valid from a day ago for a year, whose files go in {@code dir}.
     *
     * @param name its common name, also the prefix of every file it writes (letters, digits, dashes)
     */
    public static TestPki create(Path dir, String name) {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, nextSerial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
                keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        X509Certificate certificate = sign(builder, keys.getPrivate());
        Path caFile = dir.resolve(fileName(name) + "-ca.pem");
        writePem(caFile, certificate);
        return new TestPki(dir, name, keys, certificate, caFile);
    }

    /** The authority's own certificate (PEM), for {@code --tls-client-ca} or a client's trust. */
    public Path caFile() {
        return caFile;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A server certificate for these host names and IP addresses, valid from a day ago for 30 days. */
    public Issued server(String... hosts) {
        Instant now = Instant.now();
        return issue(hosts[0], now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), List.of(hosts),
                KeyPurposeId.id_kp_serverAuth);
    }

    /** A server certificate for these hosts, valid between the two instants (past ones make it expired). */
    public Issued server(Instant notBefore, Instant notAfter, String... hosts) {
        return issue(hosts[0], notBefore, notAfter, List.of(hosts), KeyPurposeId.id_kp_serverAuth);
    }

    /** A client certificate, valid from a day ago for 30 days. */
    public Issued client(String commonName) {
        Instant now = Instant.now();
        return client(commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    }

    /** A client certificate valid between the two instants (past ones make it expired). */
    public Issued client(String commonName, Instant notBefore, Instant notAfter) {
        return issue(commonName, notBefore, notAfter, List.of(), KeyPurposeId.id_kp_clientAuth);
    }

    private Issued issue(String commonName, Instant notBefore, Instant notAfter, List<String> hosts,
            KeyPurposeId purpose) {
        KeyPair issuedKeys = newKeyPair();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, nextSerial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + commonName), issuedKeys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (!hosts.isEmpty()) {
                GeneralName[] names = hosts.stream()
                        .map(host -> new GeneralName(IP_ADDRESS.matcher(host).matches()
                                ? GeneralName.iPAddress : GeneralName.dNSName, host))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        X509Certificate issued = sign(builder, keys.getPrivate());
        String base = fileName(name) + "-" + fileName(commonName) + "-" + issued.getSerialNumber();
        Path certificateFile = dir.resolve(base + ".pem");
        Path keyFile = dir.resolve(base + "-key.pem");
        writePem(certificateFile, issued);
        writePem(keyFile, issuedKeys.getPrivate());
        return new Issued(certificateFile, keyFile, issued);
    }

    /**
     * Files of one issued certificate.
     *
     * @param certificate the certificate, PEM
     * @param key         its private key, PEM (PKCS#8, unencrypted)
     * @param x509        the certificate itself, to compare with what a peer presented
     */
    public record Issued(Path certificate, Path key, X509Certificate x509) {
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePem(Path file, Object item) {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(item instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static String fileName(String text) {
        return text.replaceAll("[^A-Za-z0-9-]", "_");
    }
}
