package dev.ricochet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

    @TempDir
    Path dir;

    @Test
    void issuesAServerCertificateSignedByItsAuthorityWithTheHostsAsNames() throws Exception {
        TestPki ca = TestPki.create(dir, "ca");
        TestPki.Issued server = ca.server("localhost", "127.0.0.1");

        X509Certificate read = read(server.certificate());
        read.verify(read(ca.caFile()).getPublicKey());
        read.checkValidity();
        assertEquals(2, read.getSubjectAlternativeNames().size());
        assertTrue(Files.readString(server.key()).startsWith("-----BEGIN PRIVATE KEY-----"));
    }

    @Test
    void issuesExpiredCertificatesOnRequest() throws Exception {
        TestPki ca = TestPki.create(dir, "ca");
        Instant now = Instant.now();
        TestPki.Issued expired = ca.client("alice", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));

        assertThrows(CertificateExpiredException.class, () -> read(expired.certificate()).checkValidity());
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
