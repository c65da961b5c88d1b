package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ricochet.loadgen.testing.ScriptedPrimeServer;
import dev.ricochet.loadgen.testing.ScriptedPrimeServer.Fault;
import io.netty.channel.epoll.Epoll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every request the load generator plans ends up in the report, against prime servers that
 * fail in each way a server can: reset, close, stall, answer late, shed load, vanish.
 */
class LoadgenAccountingTest {

    private static final int PIPELINE = 4;

    @TempDir
    Path work;

    private Loadgen.Outcome closedLoop(ScriptedPrimeServer server, String... more) {
        String[] base = {"--target", server.target(), "--workload", "prime", "--numbers", "6d", "--connections", "2",
                "--pipeline", String.valueOf(PIPELINE), "--warmup", "0s", "--duration", "1s"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Loadgen.run(work, all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void countsEveryOutstandingRequestOfAResetConnection(String transport) throws Exception {
        assumeTrue(!transport.equals("epoll") || Epoll.isAvailable(), "epoll does not load here");
        try (ScriptedPrimeServer server = new ScriptedPrimeServer(Fault.RESET, 3, PIPELINE, 0)) {
            Loadgen.Outcome o = closedLoop(server, "--transport", transport);

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            long resets = o.figure("connections", "lost", "reset");
            assertThat(resets).as(o.toString()).isPositive();
            // Each reset connection had a full pipeline outstanding: every one of them failed.
            assertThat(o.figure("whole_run", "failed", "reset")).isEqualTo(PIPELINE * resets);
            assertThat(o.figure("errors", "reset")).isEqualTo(PIPELINE * resets);
            assertThat(o.figure("connections", "reconnects")).isPositive();
            assertThat(o.everySentRequestIsAccountedFor()).as(o.json().toString()).isTrue();
            assertThat(o.out()).contains("failed").contains("reset");
        }
    }

    @Test
    void sendsAgainEveryOutstandingRequestOfAConnectionClosedInOrderBeforeAnyReplyByte() throws Exception {
        try (ScriptedPrimeServer server = new ScriptedPrimeServer(Fault.CLOSE, 3, PIPELINE, 0)) {
            Loadgen.Outcome o = closedLoop(server);

            assertThat(o.exitCode()).as("each closed connection is still an error").isEqualTo(1);
            long closed = o.figure("connections", "lost", "closed_early");
            assertThat(closed).as(o.toString()).isPositive();
            assertThat(o.figure("errors", "closed_early")).isEqualTo(closed);
            // Every closed connection had a full pipeline outstanding, none of it answered: each
            // request went out again on the next connection (but those of the last closes, when
            // the run ended before their slot reconnected), and none failed.
            assertThat(o.figure("whole_run", "failed_total")).isZero();
            assertThat(o.figure("whole_run", "sent_again")).as(o.toString())
                    .isBetween(PIPELINE * (closed - 2), PIPELINE * closed);
            assertThat(o.figure("connections", "reconnects")).isPositive();
            assertThat(o.everySentRequestIsAccountedFor()).as(o.json().toString()).isTrue();
            assertThat(o.out()).contains("  Sent again     ");
        }
    }

    @Test
    void theErrorRateSetsWholeRunErrorsAgainstWholeRunRequests() throws Exception {
        try (ScriptedPrimeServer server = new ScriptedPrimeServer(Fault.RESET, 50, PIPELINE, 0)) {
            Loadgen.Outcome o = Loadgen.run(work, "--target", server.target(), "--workload", "prime", "--numbers", "6d",
                    "--connections", "2", "--pipeline", String.valueOf(PIPELINE), "--warmup", "500ms", "--duration", "1s");

            long errors = 0;
            for (var kind : o.json().get("errors")) {
                errors += kind.asLong();
            }
            long failed = o.figure("whole_run", "failed_total");
            long accounted = o.figure("whole_run", "accounted");
            assertThat(errors).as(o.toString()).isPositive();
            assertThat(o.json().get("error_rate").asDouble())
                    .isEqualTo((double) errors / (accounted + errors - failed));
            assertThat(accounted).isGreaterThan(o.figure("measured", "accounted")); // the warmup is in it
        }
    }

    @Test
    void aStallAtTheEndIsCountedAsUnansweredWithItsLatencyAndFailsThePlan() throws Exception {
        try (ScriptedPrimeServer server = new ScriptedPrimeServer(Fault.STALL, 20, PIPELINE, 0)) {
            // Two connections at 100 requests/s each: each answers 20, then nothing while the
            // run goes on; the timeout is far beyond the run.
            Loadgen.Outcome o = Loadgen.run(work, "--target", server.target(), "--workload", "prime", "--numbers", "6d",
                    "--connections", "2", "--pipeline", String.valueOf(PIPELINE), "--rate", "200", "--timeout", "60s",
                    "--warmup", "0s", "--duration", "1s");

            // Within the timeout nothing failed, but the server fell far behind the plan.
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.err()).contains("below --min-achieved-rate 0.95");
            assertThat(o.figure("errors", "timeout")).isZero();
            long unanswered = o.figure("measured", "unanswered_at_end");
            long neverSent = o.figure("measured", "unanswered_at_end_never_sent");
            assertThat(unanswered - neverSent).as("sent, unanswered").isEqualTo(2 * PIPELINE);
            assertThat(neverSent).as("planned behind the full pipelines").isPositive();
            // The corrected histogram has every answered request and every unanswered one.
            assertThat(o.figure("latency_corrected_ms", "samples"))
                    .isEqualTo(o.figure("measured", "answered") + unanswered);
            assertThat(o.figure("latency_uncorrected_ms", "samples"))
                    .isEqualTo(o.figure("measured", "answered") + unanswered - neverSent);
            // The report carries the histograms its figures come from.
            assertThat(o.histogram("corrected").getTotalCount()).isEqualTo(o.figure("latency_corrected_ms", "samples"));
            assertThat(o.histogram("uncorrected").getTotalCount())
                    .isEqualTo(o.figure("latency_uncorrected_ms", "samples"));
            assertThat(o.histogram("connect_time").getTotalCount()).isEqualTo(o.figure("connect_time_ms", "samples"));
            assertThat(o.everySentRequestIsAccountedFor()).as(o.json().toString()).isTrue();
            assertThat(o.out()).contains(unanswered + " unanswered at the end");
        }
    }

    @Test
    void aReplyLaterThanTheTimeoutIsATimeoutNotASuccess() throws Exception {
        // Each connection's sixth reply comes 1.5 times the timeout late.
        try (ScriptedPrimeServer server = new ScriptedPrimeServer(Fault.LATE, 5, PIPELINE, 300)) {
            Loadgen.Outcome o = closedLoop(server, "--timeout", "200ms");

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            long timedOut = o.figure("connections", "lost", "timeout");
            assertThat(timedOut).as(o.toString()).isPositive();
            // Each timed-out connection had a full pipeline outstanding; should the run end just
            // after a deadline passed, before its check ran, those requests time out without
            // a lost connection (at most a pipeline per connection).
            assertThat(o.figure("whole_run", "failed", "timeout")).isBetween(PIPELINE * timedOut,
                    PIPELINE * (timedOut + 2));
            assertThat(o.json().get("latency_uncorrected_ms").get("max").asDouble())
                    .as("no success took as long as the late reply").isLessThan(300);
            assertThat(o.everySentRequestIsAccountedFor()).as(o.json().toString()).isTrue();
        }
    }

    @Test
    void aServerThatVanishesLeavesLostConnectionsAndRefusedReconnects() throws Exception {
        try (ScriptedPrimeServer server = ScriptedPrimeServer.with(Fault.NONE)) {
            CompletableFuture<Loadgen.Outcome> run = CompletableFuture.supplyAsync(() -> Loadgen.run(work, "--target",
                    server.target(), "--workload", "prime", "--numbers", "6d", "--connections", "2", "--pipeline",
                    String.valueOf(PIPELINE), "--rate", "400", "--warmup", "0s", "--duration", "1500ms"));
            await().atMost(Duration.ofSeconds(20)).until(() -> server.replies() >= 50);
            server.vanish();
            Loadgen.Outcome o = run.get();

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            assertThat(o.figure("connections", "lost", "closed_early") + o.figure("connections", "lost", "reset"))
                    .as(o.toString()).isEqualTo(2);
            assertThat(o.figure("connections", "connect_failures", "refused")).isPositive();
            assertThat(o.figure("connections", "reconnects")).isZero();
            assertThat(o.everySentRequestIsAccountedFor()).as(o.json().toString()).isTrue();
            // The two slots kept their plan while the server was gone: it shows as never sent.
            assertThat(o.figure("measured", "unanswered_at_end_never_sent")).isPositive();
        }
    }

    @Test
    void busyRepliesAreCountedAsShedAndTheConnectionIsKept() throws Exception {
        try (ScriptedPrimeServer server = ScriptedPrimeServer.with(Fault.BUSY_EVERY_SECOND)) {
            Loadgen.Outcome o = closedLoop(server, "--max-shed-rate", "1");

            assertThat(o.exitCode()).as(o.toString()).isZero();
            long shed = o.figure("measured", "shed");
            assertThat(shed).isPositive();
            assertThat(o.figure("latency_shed_ms", "samples")).isEqualTo(shed);
            assertThat(o.figure("measured", "failed_total")).isZero();
            assertThat(o.figure("errors", "mismatch")).isZero();
            assertThat(o.figure("connections", "established")).isEqualTo(2);
            assertThat(o.everySentRequestIsAccountedFor()).as(o.json().toString()).isTrue();
            assertThat(o.out()).contains(shed + " shed");
        }
    }

    @Test
    void sheddingPastMaxShedRateFailsTheRun() throws Exception {
        try (ScriptedPrimeServer server = ScriptedPrimeServer.with(Fault.BUSY_EVERY_SECOND)) {
            // Half the requests are shed.
            Loadgen.Outcome byDefault = closedLoop(server);
            Loadgen.Outcome tolerant = closedLoop(server, "--max-shed-rate", "0.6");
            Loadgen.Outcome strict = closedLoop(server, "--max-shed-rate", "0.4");

            assertThat(byDefault.exitCode()).as(byDefault.toString()).isEqualTo(1);
            assertThat(byDefault.err()).contains("shed rate").contains("above --max-shed-rate 0.0");
            assertThat(tolerant.exitCode()).as(tolerant.toString()).isZero();
            assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(1);
            assertThat(strict.json().get("shed_rate").asDouble()).isBetween(0.4, 0.6);
        }
    }
}
