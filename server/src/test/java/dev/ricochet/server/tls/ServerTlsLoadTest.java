package dev.ricochet.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ricochet.server.config.TlsSettings;
import dev.ricochet.server.kind.TlsProvider;
import dev.ricochet.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What is wrong with the TLS files at startup is told in one line naming the option and the file. */
class ServerTlsLoadTest {

    @TempDir
    Path dir;

    private TestPki ca;
    private TestPki.Issued server;

    @BeforeEach
    void issue() {
        ca = TestPki.create(dir, "ca");
        server = ca.server("localhost");
    }

    static java.util.List<TlsProvider> providers() {
        return TlsServers.providers();
    }

    private TlsSettings settings(Path certificate, Path key) {
        return TlsSettings.plaintext().withCertificate(certificate, key);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void loadsAMatchingPairAndSaysWhichProviderServes(TlsProvider provider) throws Exception {
        try (ServerTls tls = ServerTls.load(settings(server.certificate(), server.key()).withProvider(provider))) {
            assertThat(tls.enabled()).isTrue();
            assertThat(tls.description()).startsWith(provider == TlsProvider.OPENSSL
                    ? "TLS OpenSSL (BoringSSL" : "TLS JDK SSLEngine (requested)");
            assertThat(tls.material().notAfter()).isEqualTo(server.x509().getNotAfter().toInstant());
        }
    }

    @Test
    void autoTakesOpenSslWhereItsLibraryShips() throws Exception {
        ServerTls tls = ServerTls.load(settings(server.certificate(), server.key()));
        assertThat(tls.description()).contains(TlsServers.providers().contains(TlsProvider.OPENSSL)
                ? "OpenSSL (BoringSSL" : "JDK SSLEngine (auto: OpenSSL unavailable");
    }

    @Test
    void refusesAKeyThatIsAnotherCertificates() {
        TestPki.Issued other = ca.server("localhost");
        assertThatThrownBy(() -> ServerTls.load(settings(server.certificate(), other.key())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith("--tls-key: " + other.key() + " is not the private key of the certificate in"
                        + " --tls-cert " + server.certificate());
    }

    @Test
    void refusesAMissingFile() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> ServerTls.load(settings(missing, server.key())))
                .isInstanceOf(TlsSetupException.class).hasMessage("--tls-cert: " + missing + " does not exist");
    }

    @Test
    void refusesAnUnreadableFile() throws Exception {
        Files.setPosixFilePermissions(server.key(), PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(server.key()), "running as root reads anything");
        assertThatThrownBy(() -> ServerTls.load(settings(server.certificate(), server.key())))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("cannot be read (permission denied)");
    }

    @Test
    void refusesFilesThatAreNotPem() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a certificate");
        assertThatThrownBy(() -> ServerTls.load(settings(text, server.key())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("--tls-cert: " + text + " holds no PEM certificate (expected: -----BEGIN CERTIFICATE-----)");
        assertThatThrownBy(() -> ServerTls.load(settings(server.certificate(), server.certificate())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("--tls-key: " + server.certificate() + " holds no PEM private key");
    }

    @Test
    void refusesAKeyInAnotherEncodingNamingTheConversion() throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> ServerTls.load(settings(server.certificate(), pkcs1)))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("holds a key as -----BEGIN RSA PRIVATE KEY-----, which is not read")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void refusesAClientAuthorityFileThatCannotBeRead() {
        Path missing = dir.resolve("clients.pem");
        assertThatThrownBy(() -> ServerTls.load(settings(server.certificate(), server.key()).withClientCa(missing)))
                .isInstanceOf(TlsSetupException.class).hasMessage("--tls-client-ca: " + missing + " does not exist");
    }

    /** The blocking engines' way in: a JSSE context from the same files, asking for client certificates. */
    @Test
    void givesAJsseContextOfTheSameMaterial() throws Exception {
        TestPki clients = TestPki.create(dir, "clients");
        ServerTls tls = ServerTls.load(settings(server.certificate(), server.key()).withClientCa(clients.caFile()));
        TlsMaterial material = tls.material();
        assertThat(material.clientCas()).containsExactly(clients.certificate());
        try (SSLServerSocket socket = (SSLServerSocket) material.jsseContext().getServerSocketFactory()
                .createServerSocket(0)) {
            assertThat(socket.getSupportedProtocols()).contains("TLSv1.3");
        }
    }
}
