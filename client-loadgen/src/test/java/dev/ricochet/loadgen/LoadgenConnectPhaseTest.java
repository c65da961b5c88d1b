package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.loadgen.testing.ScriptedEchoServer;
import dev.ricochet.loadgen.testing.ScriptedEchoServer.Fault;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What "up" means and when the load starts: an echo connection is up only once its greeting
 * has come, no connection sends before every first attempt has settled, and connections that
 * never came up are failed connects, reported, and fail the run, however long {@code --timeout}.
 */
class LoadgenConnectPhaseTest {

    @TempDir
    Path work;

    @Test
    void aServerThatAcceptsButNeverGreetsFailsEveryConnectAsNoGreeting() throws Exception {
        try (ScriptedEchoServer silent = new ScriptedEchoServer(Fault.SILENT)) {
            // The request timeout is far beyond the run: only the connect timeout can catch it.
            Loadgen.Outcome o = Loadgen.run(work, "--target", silent.target(), "--connections", "2",
                    "--connect-timeout", "200ms", "--timeout", "60s", "--warmup", "0s", "--duration", "1s");

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.err()).contains("FAILED (2 of 2 connections never came up");
            // Both first attempts failed, and each slot tried again (backoff 10 ms).
            assertThat(o.figure("connections", "connect_failures", "no_greeting")).as(o.toString()).isGreaterThan(2)
                    .isEqualTo(o.figure("errors", "no_greeting"));
            assertThat(o.figure("connections", "lost", "timeout")).isZero();
            assertThat(o.figure("connections", "established")).isZero();
            assertThat(o.figure("connections", "never_up")).isEqualTo(2);
            assertThat(o.figure("connections", "not_up_at_end", "total")).isEqualTo(2);
            assertThat(o.figure("connections_open_at_end")).isZero();
            assertThat(o.figure("whole_run", "sent")).isZero();
            assertThat(o.out()).contains("failed connects (no greeting").contains("2 never came up");
        }
    }

    @Test
    void aServerThatNeverAcceptsLeavesHandshakesWithoutAGreeting() throws Exception {
        // The kernel completes the handshakes its accept queue (backlog 1) has room for; the
        // server never takes them, as one whose accept queue overflows under load.
        try (ServerSocket neverAccepting = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Loadgen.Outcome o = Loadgen.run(work, "--target", "127.0.0.1:" + neverAccepting.getLocalPort(),
                    "--connections", "2", "--connect-timeout", "300ms", "--timeout", "60s", "--warmup", "0s",
                    "--duration", "1s");

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.figure("connections", "connect_failures", "no_greeting")).as(o.toString()).isPositive();
            assertThat(o.figure("connections", "established")).isZero();
            assertThat(o.figure("connections", "never_up")).isEqualTo(2);
            assertThat(o.figure("connections_open_at_end")).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--pipeline=2", "--rate=300"})
    void noConnectionSendsBeforeTheLastOneIsGreeted(String loadModel) throws Exception {
        // The third connection's greeting comes late; the first two are greeted at once and
        // must wait for it, in closed and in open loop alike.
        try (ScriptedEchoServer server = new ScriptedEchoServer(Fault.GREETS_LAST_LATE, 3, 300)) {
            Loadgen.Outcome o = Loadgen.run(work, "--target", server.target(), "--connections", "3", "--warmup", "0s",
                    "--duration", "500ms", loadModel);

            assertThat(o.exitCode()).as(o.toString()).isZero();
            assertThat(server.lateGreetingSent()).isTrue();
            assertThat(server.bytesBeforeLateGreeting()).as("bytes sent before the last greeting").isZero();
            assertThat(o.figure("requests")).isPositive();
            assertThat(o.figure("connections", "established")).isEqualTo(3);
            assertThat(o.figure("connections", "not_up_at_end", "total")).isZero();
            assertThat(o.out()).doesNotContain("Not up");
        }
    }

    @Test
    void aConnectionStillAwaitingItsGreetingAtTheEndIsReportedAndCounted() throws Exception {
        // Each connection is served up to its first reply and closed; the replacements are
        // never greeted, and the connect timeout is far beyond the run.
        try (ScriptedEchoServer server = new ScriptedEchoServer(Fault.CLOSES_THEN_GREETS_NO_MORE, 2, 0)) {
            Loadgen.Outcome o = Loadgen.run(work, "--target", server.target(), "--connections", "2",
                    "--connect-timeout", "60s", "--timeout", "60s", "--warmup", "0s", "--duration", "1s");

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.figure("connections", "not_up_at_end", "awaiting_greeting")).as(o.toString()).isEqualTo(2);
            assertThat(o.figure("connections", "never_up")).isZero();
            assertThat(o.figure("connections", "connect_failures", "no_greeting")).isEqualTo(2);
            assertThat(o.figure("errors", "no_greeting")).isEqualTo(2);
            assertThat(o.figure("connections_open_at_end")).isZero();
            assertThat(o.out()).contains("Not up         2 of 2 connections at the end: 2 awaiting greeting");
        }
    }
}
