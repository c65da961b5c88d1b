package dev.ricochet.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of the TLS options, each failure a {@link TlsSetupException} that names
 * the option and the file and says what was wrong, so that a user can fix it from one line.
 * The JDK alone parses them (no BouncyCastle in the server), hence PKCS#8 keys only: cert-manager
 * writes them with {@code privateKey.encoding: PKCS8}, and {@code openssl pkcs8 -topk8 -nocrypt}
 * converts the others.
 */
final class PemFiles {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern OTHER_KEY = Pattern.compile("-----BEGIN ([A-Z ]*PRIVATE KEY)-----");
    private static final String[] KEY_ALGORITHMS = {"EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS"};

    private PemFiles() {
    }

    /** The file's bytes, read through any symbolic links (a Secret volume's {@code ..data}). */
    static byte[] read(String option, Path file) throws TlsSetupException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(option + ": " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new TlsSetupException(option + ": " + file + " cannot be read (permission denied)");
        } catch (IOException e) {
            throw new TlsSetupException(option + ": " + file + " cannot be read (" + e + ")");
        }
    }

    /** Every certificate of a PEM file, in its order; at least one. */
    static List<X509Certificate> certificates(String option, Path file, byte[] pem) throws TlsSetupException {
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new TlsSetupException(option + ": " + file + " holds no PEM certificate"
                    + " (expected: -----BEGIN CERTIFICATE-----)");
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new TlsSetupException(option + ": " + file + " holds no readable certificate");
            }
            return List.copyOf(certificates);
        } catch (CertificateException e) {
            throw new TlsSetupException(option + ": " + file + " holds a malformed certificate (" + e.getMessage()
                    + ")", e);
        }
    }

    /** The one private key of a PEM file: PKCS#8, unencrypted, of any algorithm the JDK knows. */
    static PrivateKey privateKey(String option, Path file, byte[] pem) throws TlsSetupException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        Matcher key = PRIVATE_KEY.matcher(text);
        if (!key.find()) {
            Matcher other = OTHER_KEY.matcher(text);
            throw new TlsSetupException(option + ": " + file + (other.find()
                    ? " holds a key as -----BEGIN " + other.group(1) + "-----, which is not read (expected: an unencrypted PKCS#8"
                            + " -----BEGIN PRIVATE KEY-----; convert it with openssl pkcs8 -topk8 -nocrypt)"
                    : " holds no PEM private key (expected: -----BEGIN PRIVATE KEY-----)"));
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(key.group(1));
        } catch (IllegalArgumentException e) {
            throw new TlsSetupException(option + ": " + file + " holds a private key that is not valid base64");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // Not this algorithm's: the next one.
            }
        }
        throw new TlsSetupException(option + ": " + file + " holds a private key of no known algorithm"
                + " (expected: EC, RSA or EdDSA, PKCS#8)");
    }
}
