package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.loadgen.testing.ScriptedEchoServer;
import dev.ricochet.loadgen.testing.ScriptedEchoServer.Fault;
import dev.ricochet.loadgen.testing.TlsEchoServer;
import dev.ricochet.testing.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --churn}: every connection planned in the measurement has one fate, done or failed by
 * kind, counted (never timed) here; the connect time has one sample per connection done.
 */
class LoadgenChurnTest {

    @TempDir
    Path work;

    /** 40 connections a second for one measured second, after a warmup of half a second. */
    private Loadgen.Outcome churn(String target, String... args) {
        List<String> all = new ArrayList<>(List.of("--target", target, "--churn", "40", "--warmup", "500ms",
                "--duration", "1s", "--connect-timeout", "2s"));
        all.addAll(List.of(args));
        return Loadgen.run(work, all.toArray(String[]::new));
    }

    private static void assertEveryPlannedConnectionDone(Loadgen.Outcome o) {
        assertThat(o.exitCode()).as(o.toString()).isZero();
        assertThat(o.json().get("load_model").asText()).isEqualTo("churn");
        assertThat(o.figure("churn", "planned")).isEqualTo(40);
        assertThat(o.figure("churn", "done")).isEqualTo(40);
        assertThat(o.figure("churn", "failed")).isZero();
        // The warmup's 20 and the measurement's 40, each up once.
        assertThat(o.figure("churn", "opened_whole_run")).isEqualTo(60);
        assertThat(o.figure("connections", "established")).isEqualTo(60);
        assertThat(o.histogram("connect_time").getTotalCount()).isEqualTo(40);
        assertThat(o.figure("errors", "mismatch")).isZero();
        assertThat(o.out()).contains("  Churn: 40 connections opened a second, each ").contains("; 60 connections opened (warmup included)")
                .contains("  Churn          ").contains("of 40 planned in the measurement, 40 done, 0 failed");
    }

    @Test
    void opensEachPlannedConnectionOnceAgainstAPlaintextServer() throws Exception {
        try (ScriptedEchoServer server = new ScriptedEchoServer(Fault.NONE)) {
            assertEveryPlannedConnectionDone(churn(server.target()));
        }
    }

    @Test
    void handshakesEachPlannedConnectionOnceAgainstATlsServer() throws Exception {
        TestPki ca = TestPki.create(work, "churn-ca");
        try (TlsEchoServer server = new TlsEchoServer(ca.server("localhost", "127.0.0.1"), null)) {
            Loadgen.Outcome o = churn(server.target(), "--tls", "--tls-ca", ca.caFile().toString());

            assertEveryPlannedConnectionDone(o);
            assertThat(server.handshakes()).isEqualTo(60);
            assertThat(o.out()).contains("until up: connected, TLS handshake done and greeted)");
        }
    }

    @Test
    void idleChurnOnlyConnectsAndHandshakes() throws Exception {
        TestPki ca = TestPki.create(work, "churn-ca");
        try (TlsEchoServer server = new TlsEchoServer(ca.server("localhost", "127.0.0.1"), null)) {
            Loadgen.Outcome o = churn(server.target(), "--workload", "idle", "--tls", "--tls-ca",
                    ca.caFile().toString());

            assertEveryPlannedConnectionDone(o);
            assertThat(o.figure("whole_run", "sent")).isZero();
        }
    }

    @Test
    void countsEachFailedHandshakeAsAFailedConnectOfKindTls() throws Exception {
        TestPki ca = TestPki.create(work, "churn-ca");
        TestPki stranger = TestPki.create(work, "stranger-ca");
        try (TlsEchoServer server = new TlsEchoServer(stranger.server("localhost", "127.0.0.1"), null)) {
            Loadgen.Outcome o = churn(server.target(), "--tls", "--tls-ca", ca.caFile().toString());

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.figure("churn", "planned")).isEqualTo(40);
            assertThat(o.figure("churn", "done")).isZero();
            assertThat(o.figure("churn", "failed")).isEqualTo(40);
            assertThat(o.figure("connections", "connect_failures", "tls")).isEqualTo(60);
            assertThat(o.json().get("other_error_samples").get(0).asText()).startsWith("tls: ");
            assertThat(o.err()).contains("FAILED (no connection planned in the measurement was done (40 of 40 failed))");
        }
    }

    @Test
    void countsAMismatchedReplyAsAFailedConnectAndFailsTheRun() throws Exception {
        // The 1000th reply byte of the server's life is off by one: the 16th connection's 64-byte reply.
        try (ScriptedEchoServer server = new ScriptedEchoServer(Fault.CORRUPT_ONE_BYTE)) {
            Loadgen.Outcome o = churn(server.target());

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.figure("connections", "connect_failures", "mismatch")).isEqualTo(1);
            assertThat(o.figure("churn", "failed_whole_run")).isEqualTo(1);
            assertThat(o.err()).contains("FAILED (replies did not match the protocol)");
        }
    }
}
