package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.testing.TlsEchoServer;
import dev.ricochet.testing.TestPki;
import io.netty.handler.ssl.OpenSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --tls} over loopback against a TLS echo server: replies verified through TLS as in
 * plaintext, the handshake inside the connect time, and every handshake that fails a failed
 * connect of kind tls with its reason in the report, never a silently dead connection.
 */
class LoadgenTlsTest {

    @TempDir
    Path work;
    private TestPki ca;
    private TestPki.Issued serverCertificate;

    @BeforeEach
    void issueCertificates() {
        ca = TestPki.create(work, "loadgen-ca");
        serverCertificate = ca.server("localhost", "127.0.0.1");
    }

    private Loadgen.Outcome loadgen(String target, String... args) {
        List<String> all = new ArrayList<>(List.of("--target", target, "--connections", "3", "--warmup", "0s",
                "--duration", "1s", "--connect-timeout", "2s"));
        all.addAll(List.of(args));
        return Loadgen.run(work, all.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void echoesOverTlsWithEveryReplyByteVerified(String provider) throws Exception {
        Assumptions.assumeTrue(provider.equals("jdk") || OpenSsl.isAvailable(), "OpenSSL does not load here");
        try (TlsEchoServer server = new TlsEchoServer(serverCertificate, null)) {
            Loadgen.Outcome o = loadgen(server.target(), "--tls", "--tls-ca", ca.caFile().toString(),
                    "--tls-provider", provider, "--message-size", "100", "--split", "3");

            assertThat(o.exitCode()).as(o.toString()).isZero();
            assertThat(o.figure("measured", "answered")).isPositive();
            assertThat(o.figure("errors", "mismatch")).isZero();
            assertThat(o.figure("errors", "tls")).isZero();
            // Each connection came up once, its handshake and greeting timed in its connect time.
            assertThat(o.figure("connections", "established")).isEqualTo(3);
            assertThat(o.histogram("connect_time").getTotalCount()).isEqualTo(3);
            assertThat(server.handshakes()).isEqualTo(3);
            JsonNode tls = o.json().get("tls");
            assertThat(tls.get("provider").asText()).isEqualTo(provider);
            assertThat(tls.get("trust").asText()).isEqualTo("ca_file");
            assertThat(tls.get("server_name").asText()).isEqualTo("127.0.0.1");
            assertThat(o.out()).contains("over TLS for").contains("  TLS            " + provider + " (requested")
                    .contains("TLS handshake done and greeted");
        }
    }

    @Test
    void aServerCertificateFromAnotherAuthorityFailsEveryConnectAsTlsWithItsReason() throws Exception {
        TestPki stranger = TestPki.create(work, "stranger-ca");
        try (TlsEchoServer server = new TlsEchoServer(stranger.server("localhost", "127.0.0.1"), null)) {
            Loadgen.Outcome o = loadgen(server.target(), "--tls", "--tls-ca", ca.caFile().toString());

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.figure("connections", "connect_failures", "tls")).as(o.toString()).isGreaterThanOrEqualTo(3)
                    .isEqualTo(o.figure("errors", "tls"));
            assertThat(o.figure("connections", "established")).isZero();
            assertThat(o.figure("connections", "never_up")).isEqualTo(3);
            assertThat(o.json().get("other_error_samples").get(0).asText()).startsWith("tls: ");
            assertThat(o.out()).contains("failed connects (tls ").contains("  Error sample   tls: ");
            assertThat(o.err()).contains("FAILED (3 of 3 connections never came up");
        }
    }

    @Test
    void insecureTrustsAnyCertificateAndSaysSoInTheHeader() throws Exception {
        TestPki stranger = TestPki.create(work, "stranger-ca");
        try (TlsEchoServer server = new TlsEchoServer(stranger.server("elsewhere.example"), null)) {
            Loadgen.Outcome o = loadgen(server.target(), "--tls", "--tls-insecure");

            assertThat(o.exitCode()).as(o.toString()).isZero();
            assertThat(o.figure("measured", "answered")).isPositive();
            assertThat(o.out().lines().findFirst().orElseThrow())
                    .contains("over TLS, INSECURE (any server certificate trusted)");
            assertThat(o.json().get("tls").get("insecure").asBoolean()).isTrue();
        }
    }

    @Test
    void aServerNameTheCertificateDoesNotCarryFailsTheHandshake() throws Exception {
        try (TlsEchoServer server = new TlsEchoServer(serverCertificate, null)) {
            Loadgen.Outcome o = loadgen(server.target(), "--tls", "--tls-ca", ca.caFile().toString(),
                    "--tls-server-name", "wrong.example");

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.figure("connections", "connect_failures", "tls")).as(o.toString()).isGreaterThanOrEqualTo(3);
            assertThat(o.figure("connections", "established")).isZero();
            assertThat(o.json().get("tls").get("server_name").asText()).isEqualTo("wrong.example");
        }
    }

    @Test
    void theServerNameTheCertificateCarriesIsVerifiedInsteadOfTheTargetHost() throws Exception {
        try (TlsEchoServer server = new TlsEchoServer(ca.server("echo.internal"), null)) {
            Loadgen.Outcome o = loadgen(server.target(), "--tls", "--tls-ca", ca.caFile().toString(),
                    "--tls-server-name", "echo.internal");

            assertThat(o.exitCode()).as(o.toString()).isZero();
            assertThat(o.figure("measured", "answered")).isPositive();
        }
    }

    @Test
    void presentsItsClientCertificateToAServerThatRequiresOne() throws Exception {
        TestPki.Issued client = ca.client("loadgen");
        try (TlsEchoServer server = new TlsEchoServer(serverCertificate, ca.caFile())) {
            Loadgen.Outcome o = loadgen(server.target(), "--tls", "--tls-ca", ca.caFile().toString(),
                    "--tls-cert", client.certificate().toString(), "--tls-key", client.key().toString());

            assertThat(o.exitCode()).as(o.toString()).isZero();
            assertThat(o.figure("measured", "answered")).isPositive();
            assertThat(o.figure("connections", "established")).isEqualTo(3);
        }
    }

    @Test
    void withoutAClientCertificateAServerThatRequiresOneFailsEveryConnectAsTls() throws Exception {
        try (TlsEchoServer server = new TlsEchoServer(serverCertificate, ca.caFile())) {
            Loadgen.Outcome o = loadgen(server.target(), "--tls", "--tls-ca", ca.caFile().toString());

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.figure("connections", "connect_failures", "tls")).as(o.toString()).isGreaterThanOrEqualTo(3);
            assertThat(o.figure("connections", "established")).isZero();
        }
    }

    @Test
    void idleConnectionsAreUpOnceTheirHandshakeIsDone() throws Exception {
        try (TlsEchoServer server = new TlsEchoServer(serverCertificate, null)) {
            Loadgen.Outcome o = loadgen(server.target(), "--workload", "idle", "--tls", "--tls-ca",
                    ca.caFile().toString());

            assertThat(o.figure("connections", "established")).as(o.toString()).isEqualTo(3);
            assertThat(o.figure("errors", "tls")).isZero();
            assertThat(server.handshakes()).isEqualTo(3);
        }
    }
    @Test
    void mergedShardsOfAnInsecureTlsRunStillSaySoInTheHeader() throws Exception {
        ExecutorService shards = Executors.newFixedThreadPool(2);
        try (TlsEchoServer server = new TlsEchoServer(serverCertificate, null)) {
            Instant startAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
            List<Future<Loadgen.Outcome>> runs = new ArrayList<>();
            for (int index = 0; index < 2; index++) {
                String shard = index + "/2";
                runs.add(shards.submit(() -> Loadgen.runExactly("--target", server.target(), "--connections", "4",
                        "--warmup", "300ms", "--duration", "1s", "--shard", shard, "--start-at", startAt.toString(),
                        "--io-threads", "1", "--tls", "--tls-insecure", "--json", "-")));
            }
            List<String> logs = new ArrayList<>(List.of("merge"));
            for (int index = 0; index < 2; index++) {
                Loadgen.Outcome o = runs.get(index).get();
                assertThat(o.exitCode()).as(o.toString()).isZero();
                Path log = work.resolve("shard-" + index + ".log");
                Files.writeString(log, o.err() + o.out());
                logs.add(log.toString());
            }
            Loadgen.Outcome merged = Loadgen.runExactly(logs.toArray(String[]::new));

            assertThat(merged.exitCode()).as(merged.toString()).isZero();
            assertThat(merged.out().lines().findFirst().orElseThrow())
                    .contains("over TLS, INSECURE (any server certificate trusted)");
            assertThat(merged.out()).contains("  TLS            ");
        } finally {
            shards.shutdownNow();
        }
    }
}
