package dev.ricochet.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.metrics.MetricNames;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Certificates that rotate as Kubernetes rotates a Secret volume: the files the options name
 * are symlinks through {@code ..data}, itself a symlink to a timestamped directory, and an
 * update writes a new directory and renames a new {@code ..data} over the old one.
 */
class CertificateRotationTest {

    @TempDir
    Path dir;

    private TestPki ca;
    private Path volume;
    private int generation;
    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private Engine server;
    private ServerTls tls;

    static List<TlsServers.Server> servers() {
        return TlsServers.Server.eachEngine();
    }

    @BeforeEach
    void mountSecretVolume() throws Exception {
        ca = TestPki.create(dir, "ca");
        volume = Files.createDirectory(dir.resolve("secret"));
        Files.createSymbolicLink(volume.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(volume.resolve("tls.key"), Path.of("..data/tls.key"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ZERO);
        }
        if (tls != null) {
            tls.close();
        }
        metrics.close();
    }

    /** Writes the files into a new timestamped directory, then swaps {@code ..data} to it atomically. */
    private void update(byte[] certificate, byte[] key) throws Exception {
        Path next = Files.createDirectory(volume.resolve("..2026_05_01_00_00_0" + generation++));
        Files.write(next.resolve("tls.crt"), certificate);
        Files.write(next.resolve("tls.key"), key);
        Path link = volume.resolve("..data_tmp");
        Files.createSymbolicLink(link, volume.relativize(next));
        Files.move(link, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    }

    private void update(TestPki.Issued issued) throws Exception {
        update(Files.readAllBytes(issued.certificate()), Files.readAllBytes(issued.key()));
    }

    /** Started as Main starts it: the files loaded, the engine, then the reloading. */
    private Engine start(TlsServers.Server engine) throws Exception {
        ServerConfig config = engine.config(new TestPki.Issued(volume.resolve("tls.crt"), volume.resolve("tls.key"),
                null)).withTls(t -> t.withReloadInterval(Duration.ofSeconds(1)));
        tls = ServerTls.load(config.tls());
        server = engine.start(config, tls, metrics);
        tls.startReloading(metrics);
        return server;
    }

    private double reloads(String result) {
        return metrics.registry().get(MetricNames.TLS_RELOADS).tag(MetricNames.TAG_RESULT, result).counter().count();
    }

    private double expiry() {
        return metrics.registry().get(MetricNames.TLS_CERTIFICATE_EXPIRY).gauge().value();
    }

    @ParameterizedTest
    @MethodSource("servers")
    void servesTheNewCertificateToNewConnectionsAndKeepsOpenOnesUntouched(TlsServers.Server engine) throws Exception {
        TestPki.Issued first = ca.server("localhost", "127.0.0.1");
        update(first);
        start(engine);
        SSLContext client = TlsClient.context(ca, null);
        assertThat(expiry()).isEqualTo(first.x509().getNotAfter().toInstant().getEpochSecond());
        try (TlsClient open = TlsClient.connect(client, server.echoAddress())) {
            assertThat(open.readAscii(1)).isEqualTo("*");
            assertThat(open.serverCertificate().getSerialNumber()).isEqualTo(first.x509().getSerialNumber());
            if (!engine.concurrentClients()) {
                open.close(); // sequential serves one connection at a time: the next waits for this one
            }

            TestPki.Issued second = ca.server(java.time.Instant.now().minus(Duration.ofDays(1)),
                    java.time.Instant.now().plus(Duration.ofDays(90)), "localhost", "127.0.0.1");
            update(second);
            await().untilAsserted(() -> {
                try (TlsClient fresh = TlsClient.connect(client, server.echoAddress())) {
                    assertThat(fresh.serverCertificate().getSerialNumber()).isEqualTo(second.x509().getSerialNumber());
                }
            });
            assertThat(reloads("success")).isEqualTo(1);
            assertThat(expiry()).isEqualTo(second.x509().getNotAfter().toInstant().getEpochSecond());
            if (engine.concurrentClients()) {
                // The connection accepted before keeps its session and its certificate, and works.
                assertThat(open.send("^abc").readAscii(3)).isEqualTo("bcd");
                assertThat(open.serverCertificate().getSerialNumber()).isEqualTo(first.x509().getSerialNumber());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void keepsTheOldCertificateWhenTheNewFilesAreBadAndCountsEachChangeOnce(TlsServers.Server engine) throws Exception {
        TestPki.Issued first = ca.server("localhost", "127.0.0.1");
        update(first);
        start(engine);
        TestPki.Issued other = ca.server("localhost", "127.0.0.1");
        // The certificate updated, its key not (yet): they do not match.
        update(Files.readAllBytes(other.certificate()), Files.readAllBytes(first.key()));
        await().untilAsserted(() -> assertThat(reloads("failed")).isEqualTo(1));
        tls.reloadNow();
        tls.reloadNow();
        assertThat(reloads("failed")).as("the same bad files, polled again").isEqualTo(1);
        // Half-written: a key cut short.
        byte[] key = Files.readAllBytes(other.key());
        update(Files.readAllBytes(other.certificate()), java.util.Arrays.copyOf(key, key.length / 2));
        await().untilAsserted(() -> assertThat(reloads("failed")).isEqualTo(2));
        try (TlsClient client = TlsClient.connect(TlsClient.context(ca, null), server.echoAddress())) {
            assertThat(client.serverCertificate().getSerialNumber()).isEqualTo(first.x509().getSerialNumber());
        }
        // Then the files are whole again: served.
        update(other);
        await().untilAsserted(() -> assertThat(reloads("success")).isEqualTo(1));
        try (TlsClient client = TlsClient.connect(TlsClient.context(ca, null), server.echoAddress())) {
            assertThat(client.serverCertificate().getSerialNumber()).isEqualTo(other.x509().getSerialNumber());
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void keepsTheOldCertificateWhileTheFilesAreGone(TlsServers.Server engine) throws Exception {
        TestPki.Issued first = ca.server("localhost", "127.0.0.1");
        update(first);
        start(engine);
        Files.delete(volume.resolve("tls.key"));
        await().untilAsserted(() -> assertThat(reloads("failed")).isEqualTo(1));
        tls.reloadNow();
        assertThat(reloads("failed")).isEqualTo(1);
        try (TlsClient client = TlsClient.connect(TlsClient.context(ca, null), server.echoAddress())) {
            assertThat(client.serverCertificate().getSerialNumber()).isEqualTo(first.x509().getSerialNumber());
        }
    }
}
