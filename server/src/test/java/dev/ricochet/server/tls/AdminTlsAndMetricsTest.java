package dev.ricochet.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.admin.AdminServer;
import dev.ricochet.server.admin.Readiness;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.NettyEngine;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.server.transport.TransportSelector;
import dev.ricochet.testing.TestPki;
import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin port over HTTPS, and the TLS meters on its page, which promtool finds clean. */
class AdminTlsAndMetricsTest {

    @TempDir
    Path dir;

    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private NettyEngine server;
    private AdminServer admin;
    private ServerTls tls;

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.shutdown(Duration.ZERO);
        }
        if (tls != null) {
            tls.close();
        }
        metrics.close();
    }

    @Test
    void servesTheMetricsOverHttpsWithTheTlsMetersPromtoolClean() throws Exception {
        TestPki ca = TestPki.create(dir, "ca");
        TestPki.Issued certificate = ca.server("localhost", "127.0.0.1");
        ServerConfig config = ServerConfig.loopback(TransportKind.NIO).withTls(t -> t
                .withCertificate(certificate.certificate(), certificate.key()).withAdmin(true));
        tls = ServerTls.load(config.tls());
        server = NettyEngine.start(config, TransportSelector.select(TransportKind.NIO), tls, metrics);
        tls.startReloading(metrics);
        Readiness readiness = new Readiness();
        readiness.ready();
        admin = AdminServer.start(InetAddress.getLoopbackAddress(), 0, tls.forAdmin(metrics), metrics, readiness);

        try (TlsClient client = TlsClient.connect(TlsClient.context(ca, null), server.echoAddress())) {
            assertThat(client.send("^a").readAscii(2)).isEqualTo("*b");
        }
        try (EchoClient plaintext = EchoClient.connectWithoutGreeting(server.echoAddress())) {
            // At least a record header's five bytes: fewer leave the server waiting for the rest,
            // until the handshake timeout.
            plaintext.send("^abc$");
            assertThat(plaintext.serverClosed()).isTrue();
        }
        String page;
        try (TlsClient https = TlsClient.connect(TlsClient.context(ca, null), admin.address())) {
            https.send("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            page = new String(https.readToEnd(), StandardCharsets.UTF_8);
        }
        assertThat(page).startsWith("HTTP/1.1 200")
                .contains("ricochet_tls_handshakes_total{engine=\"netty\",protocol=\"echo\",result=\"success\"} 1.0")
                .contains("ricochet_tls_handshakes_total{engine=\"netty\",protocol=\"echo\",result=\"not_tls\"} 1.0")
                .contains("ricochet_tls_handshake_duration_seconds_bucket")
                .contains("ricochet_tls_certificate_expiry_timestamp_seconds{engine=\"netty\"} "
                        + (double) certificate.x509().getNotAfter().toInstant().getEpochSecond())
                .contains("ricochet_tls_reloads_total{engine=\"netty\",result=\"failed\"} 0.0")
                .contains("ricochet_connections_closed_total{engine=\"netty\",protocol=\"echo\",reason=\"handshake\"} 1.0");
        await().untilAsserted(() -> assertThat(metrics.registry().find("ricochet.tls.handshakes")
                .tag("protocol", "admin").tag("result", "success").counter().count()).isEqualTo(1));
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, page.substring(page.indexOf("\r\n\r\n") + 4));
        Process promtool = new ProcessBuilder(promtool(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(promtool.waitFor()).as(output).isZero();
        assertThat(output).isEmpty();
    }

    private static String promtool() {
        for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(path, "promtool");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        throw new AssertionError("promtool not found on PATH (Debian's prometheus package)");
    }
}
