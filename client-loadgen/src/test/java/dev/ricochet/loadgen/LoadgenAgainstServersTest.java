package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ricochet.loadgen.report.HistogramText;
import dev.ricochet.loadgen.run.Latencies;
import dev.ricochet.loadgen.testing.RicochetServerProcess;
import dev.ricochet.loadgen.testing.ScriptedEchoServer;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against the real server (its jar, as a process) and against faulty ones. */
class LoadgenAgainstServersTest {

    @TempDir
    Path work;

    private static RicochetServerProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        server = new RicochetServerProcess();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        server.close();
    }

    private Loadgen.Outcome loadgen(String... args) {
        return Loadgen.run(work, args);
    }

    @Test
    void countsAddUpAgainstTheRealEchoServer() throws Exception {
        Loadgen.Outcome o = loadgen("--target", server.echoTarget(), "--connections", "20", "--warmup", "500ms",
                "--duration", "2s", "--message-size", "100", "--pipeline", "2");
        assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
        JsonNode r = o.json();
        long requests = r.get("requests").asLong();
        assertThat(requests).isPositive();
        assertThat(r.get("bytes_received").asLong()).isEqualTo(requests * 100);
        assertThat(r.get("bytes_sent").asLong()).isEqualTo(requests * 102); // '^' and '$' around each payload
        // Answered requests, and those still in flight when the measurement ended.
        assertThat(r.get("latency_uncorrected_ms").get("samples").asLong())
                .isEqualTo(requests + o.figure("measured", "unanswered_at_end"));
        assertThat(o.figure("measured", "failed_total")).isZero();
        assertThat(o.everySentRequestIsAccountedFor()).isTrue();
        assertThat(r.get("connections_established").asInt()).isEqualTo(20);
        assertThat(r.get("error_rate").asDouble()).isZero();
        assertThat(r.get("transport").asText()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio"); // what auto takes
        assertThat(o.out()).contains("Requests/sec").contains("mismatch 0").doesNotContain("Send lag");
        assertThat(r.get("send_lag_ms").isNull()).as("closed loop: no plan to lag behind").isTrue();
    }

    @Test
    void aRateProfileReportsEachPhasesPlannedRequestsAndWhatBecameOfThem() {
        Loadgen.Outcome o = loadgen("--target", server.echoTarget(), "--connections", "20", "--warmup", "500ms",
                "--rate-profile", "200:2s,600:2s");

        assertThat(o.exitCode()).as(o.toString()).isZero();
        JsonNode phases = o.json().get("phases");
        assertThat(phases).hasSize(2);
        // Every slot's plan started in the warmup: each phase plans its rate times its length, exactly.
        assertThat(phases).extracting(p -> p.get("planned").asLong()).containsExactly(400L, 1_200L);
        assertThat(o.figure("planned_requests")).isEqualTo(1_600);
        for (JsonNode phase : phases) {
            long answered = phase.get("answered").asLong();
            long unanswered = phase.get("unanswered_at_end").asLong();
            assertThat(answered).isPositive();
            assertThat(phase.get("failed").asLong()).isZero();
            assertThat(answered + phase.get("shed").asLong() + unanswered).as("every request planned in the phase")
                    .isEqualTo(phase.get("planned").asLong());
            assertThat(HistogramText.decode(phase.get("histograms").get("corrected").asText()).getTotalCount())
                    .isEqualTo(answered + unanswered);
        }
        assertThat(phases.get(0).get("start_seconds").asDouble()).isZero();
        assertThat(phases.get(1).get("start_seconds").asDouble()).isEqualTo(2.0);
        assertThat(phases.get(1).get("planned_rate_to").asDouble()).isEqualTo(600.0);
        assertThat(o.json().get("options").get("rate_profile").asText()).isEqualTo("200:2s,600:2s");
        assertThat(o.json().get("options").get("duration").asText()).as("the profile's length").isEqualTo("PT4S");
        assertThat(o.everySentRequestIsAccountedFor()).isTrue();
        assertThat(o.out()).contains("open loop on rate profile 200:2s,600:2s (mean 400 requests/s)")
                .contains("  Phase 1        0-2 s at 200/s: ").contains("  Phase 2        2-4 s at 600/s: ");
    }

    @Test
    void poissonArrivalsPlanAboutTheRateAskedAndAccountForEveryRequest() {
        Loadgen.Outcome o = loadgen("--target", server.echoTarget(), "--connections", "10", "--warmup", "300ms",
                "--rate", "500", "--duration", "1s", "--arrivals", "poisson", "--seed", "5");

        assertThat(o.exitCode()).as(o.toString()).isZero();
        // A Poisson count of mean 500: within five standard deviations.
        assertThat(o.figure("planned_requests")).isBetween(388L, 612L);
        assertThat(o.figure("measured", "failed_total")).isZero();
        assertThat(o.everySentRequestIsAccountedFor()).isTrue();
        assertThat(o.json().has("phases")).as("no profile, no phases").isFalse();
        assertThat(o.out()).contains("open loop at 500 requests/s, poisson arrivals");
    }

    @Test
    void twoShardsRunTheirSharesOfOneRunAgainstTheRealServer() throws Exception {
        long connections = 0;
        double rate = 0;
        for (int index = 0; index < 2; index++) {
            Loadgen.Outcome o = loadgen("--target", server.primeTarget(), "--workload", "prime", "--numbers", "6d",
                    "--connections", "5", "--rate", "200", "--warmup", "0s", "--duration", "1s",
                    "--shard", index + "/2");
            assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
            assertThat(o.out()).contains("shard " + index + " of 2");
            JsonNode shard = o.json().get("shard");
            assertThat(shard.get("index").asInt()).isEqualTo(index);
            assertThat(shard.get("count").asInt()).isEqualTo(2);
            assertThat(o.figure("connections_established")).isEqualTo(shard.get("connections").asLong());
            assertThat(o.json().get("planned_requests_per_second").asDouble()).isEqualTo(shard.get("rate").asDouble());
            assertThat(o.figure("measured", "answered")).isPositive().isEqualTo(o.figure("requests"));
            assertThat(o.figure("measured", "failed_total")).isZero();
            assertThat(o.everySentRequestIsAccountedFor()).isTrue();
            assertThat(o.json().get("options").get("connections").asInt()).as("the run's, as given").isEqualTo(5);
            connections += shard.get("connections").asLong();
            rate += shard.get("rate").asDouble();
        }
        assertThat(connections).isEqualTo(5);
        assertThat(rate).isCloseTo(200, within(1e-9));
    }

    @Test
    void theShardsOfAProfileRunEachPlanTheirShareOfEveryPhaseAndMergeIntoTheRunsPhases() throws Exception {
        Instant startAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Loadgen.Outcome> shards = new ArrayList<>();
        try {
            List<Future<Loadgen.Outcome>> runs = new ArrayList<>();
            for (int index = 0; index < 2; index++) {
                String shard = index + "/2";
                runs.add(pool.submit(() -> loadgen("--target", server.echoTarget(), "--connections", "6",
                        "--rate-profile", "300:1s,600:1s", "--warmup", "500ms", "--shard", shard,
                        "--start-at", startAt.toString())));
            }
            for (Future<Loadgen.Outcome> run : runs) {
                shards.add(run.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> merge = new ArrayList<>(List.of("merge", "--json", work.resolve("merged.json").toString()));
        for (int index = 0; index < 2; index++) {
            Loadgen.Outcome o = shards.get(index);
            assertThat(o.exitCode()).as(o.toString()).isZero();
            // Three of the run's six slots each: half of every phase, exactly.
            assertThat(o.json().get("phases")).extracting(p -> p.get("planned").asLong()).containsExactly(150L, 300L);
            assertThat(o.json().get("phases").get(1).get("planned_rate_from").asDouble()).isEqualTo(300.0);
            Path report = work.resolve("shard-" + index + ".json");
            Files.writeString(report, o.json().toString());
            merge.add(report.toString());
        }

        Loadgen.Outcome merged = Loadgen.runExactly(merge.toArray(String[]::new));

        assertThat(merged.exitCode()).as(merged.toString()).isZero();
        JsonNode run = new ObjectMapper().readTree(work.resolve("merged.json").toFile());
        assertThat(run.get("phases")).extracting(p -> p.get("planned").asLong()).containsExactly(300L, 600L);
        for (int p = 0; p < 2; p++) {
            long answered = 0;
            Histogram sum = new Latencies().corrected();
            for (Loadgen.Outcome shard : shards) {
                JsonNode phase = shard.json().get("phases").get(p);
                answered += phase.get("answered").asLong();
                HistogramText.addTo(sum, phase.get("histograms").get("corrected").asText());
            }
            JsonNode phase = run.get("phases").get(p);
            assertThat(phase.get("answered").asLong()).isEqualTo(answered).isPositive();
            assertThat(HistogramText.decode(phase.get("histograms").get("corrected").asText())).isEqualTo(sum);
        }
        assertThat(run.get("phases").get(1).get("planned_rate_from").asDouble()).as("the run's").isEqualTo(600.0);
        assertThat(merged.out()).contains("  Phase 2        1-2 s at 600/s: ");
    }

    @Test
    void shardsStartedApartMeasureFromTheSameStartTime() throws Exception {
        Instant startAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        ExecutorService shards = Executors.newFixedThreadPool(2);
        try {
            List<Future<Loadgen.Outcome>> runs = new ArrayList<>();
            for (int index = 0; index < 2; index++) {
                String shard = index + "/2";
                runs.add(shards.submit(() -> loadgen("--target", server.echoTarget(), "--connections", "6",
                        "--rate", "300", "--warmup", "1s", "--duration", "1s", "--shard", shard,
                        "--start-at", startAt.toString())));
                Thread.sleep(500); // the second shard starts later, and still measures from the same instant
            }
            for (Future<Loadgen.Outcome> run : runs) {
                Loadgen.Outcome o = run.get();
                assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
                assertThat(o.figure("start_at_epoch_ms")).isEqualTo(startAt.toEpochMilli());
                assertThat(o.figure("measure_start_epoch_ms")).as("never before the start time")
                        .isGreaterThanOrEqualTo(startAt.toEpochMilli());
                assertThat(o.json().get("options").get("start_at").asText()).isEqualTo(startAt.toString());
                assertThat(o.out()).contains(", measured from " + startAt);
                assertThat(o.figure("measured", "answered")).isPositive();
                assertThat(o.everySentRequestIsAccountedFor()).isTrue();
            }
        } finally {
            shards.shutdownNow();
        }
    }

    @Test
    void aConnectPhaseThatEndsAfterTheStartTimeCutsTheWarmupAndTheHeaderSaysSo() throws Exception {
        Instant startAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        // Six connects at two per second end about three seconds from now: past the start time.
        Loadgen.Outcome o = loadgen("--target", server.echoTarget(), "--connections", "6", "--connect-rate", "2",
                "--rate", "60", "--warmup", "2s", "--duration", "500ms", "--start-at", startAt.toString());

        assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
        assertThat(o.json().get("warmup_seconds").asDouble()).isLessThan(0.5);
        assertThat(o.out()).containsPattern("\\(after a warmup of 0\\.[0-4] s, cut from 2s by a late connect phase\\),"
                + " measured from " + startAt + " \\+ \\d+ ms");
    }

    @Test
    void aWarmupRunsItsLengthWhenNothingCutsIt() throws Exception {
        Loadgen.Outcome o = loadgen("--target", server.echoTarget(), "--connections", "2", "--rate", "20",
                "--warmup", "300ms", "--duration", "300ms");

        assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
        assertThat(o.json().get("warmup_seconds").asDouble()).isGreaterThanOrEqualTo(0.3);
        assertThat(o.out()).contains("(after 0.3s warmup)");
    }

    @Test
    void noRequestIsLostWhenOneOfTwoReplicasOnOnePortDrainsUnderLoad() throws Exception {
        int echoPort;
        int primePort;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            echoPort = a.getLocalPort();
            primePort = b.getLocalPort();
        }
        String[] shared = {"--reuse-port", "--echo-port", String.valueOf(echoPort), "--prime-port", String.valueOf(primePort)};
        try (RicochetServerProcess stays = new RicochetServerProcess(shared)) {
            RicochetServerProcess drains = new RicochetServerProcess(shared);
            CompletableFuture<Loadgen.Outcome> run = CompletableFuture.supplyAsync(() -> loadgen("--target",
                    "127.0.0.1:" + echoPort, "--connections", "40", "--rate", "4000", "--warmup", "0s", "--duration", "3s",
                    "--max-error-rate", "1"));
            Thread.sleep(1500); // under load, about half the connections on each replica
            drains.close(); // SIGTERM: it drains, and its clients reconnect to the other

            Loadgen.Outcome o = run.get();
            assertThat(o.figure("connections", "lost", "closed_early")).as(o.toString()).isPositive();
            assertThat(o.figure("whole_run", "failed_total")).as("requests the drain crossed went out again: "
                    + o).isZero();
            assertThat(o.figure("measured", "answered")).isPositive();
            assertThat(o.everySentRequestIsAccountedFor()).as(o.json().toString()).isTrue();
        }
    }

    @Test
    void measurementStartsOnlyOnceEveryConnectionIsUp() throws Exception {
        // Connecting takes about two seconds at 5 per second, longer than warmup and
        // duration together: the measurement still waits for all ten.
        Loadgen.Outcome o = loadgen("--target", server.echoTarget(), "--connections", "10", "--connect-rate", "5",
                "--warmup", "0s", "--duration", "500ms", "--rate", "200");
        assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
        JsonNode r = o.json();
        assertThat(r.get("connections_established").asInt()).isEqualTo(10);
        assertThat(r.get("connections_open_at_end").asInt()).isEqualTo(10);
        assertThat(r.get("requests").asLong()).isPositive();
        // Ten connects at five per second take more than a second: the pacing held.
        assertThat(r.get("connect_phase_seconds").asDouble()).isGreaterThan(1.0);
        assertThat(r.get("measure_end_epoch_ms").asLong()).isGreaterThan(r.get("measure_start_epoch_ms").asLong());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring", "nio"})
    void drivesTheRealServerOnEveryTransport(String transport) throws Exception {
        assumeTrue(!transport.equals("io_uring") || IoUring.isAvailable(), "io_uring does not load here");
        assumeTrue(!transport.equals("epoll") || Epoll.isAvailable(), "epoll does not load here");
        Loadgen.Outcome o = loadgen("--target", server.echoTarget(), "--connections", "10", "--warmup", "0s",
                "--duration", "1s", "--message-size", "20", "--rate", "500", "--transport", transport);
        assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
        JsonNode r = o.json();
        assertThat(r.get("transport").asText()).isEqualTo(transport);
        long requests = r.get("requests").asLong();
        assertThat(requests).isPositive();
        assertThat(r.get("bytes_received").asLong()).isEqualTo(requests * 20);
        assertThat(o.out()).contains(transport + " (requested)");
    }

    @Test
    void splitFramesAreAnsweredByTheRealServer() throws Exception {
        Loadgen.Outcome o = loadgen("--target", server.echoTarget(), "--connections", "10", "--warmup", "0s",
                "--duration", "1s", "--message-size", "50", "--split", "5");
        assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
        assertThat(o.json().get("requests").asLong()).isPositive();
        assertThat(o.json().get("errors").get("mismatch").asLong()).isZero();
    }

    @Test
    void primeRepliesMatchTheLoadGeneratorsOwnOracle() throws Exception {
        Loadgen.Outcome o = loadgen("--target", server.primeTarget(), "--workload", "prime", "--numbers", "6d:9,12d:1,97",
                "--connections", "10", "--warmup", "0s", "--duration", "1s", "--split", "2");
        assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
        assertThat(o.json().get("requests").asLong()).isPositive();
    }

    @Test
    void overloadOfTheRealServerIsMeasuredAsShedding() throws Exception {
        // One worker, room for one waiting request, 15-digit trial divisions: most of the 80
        // requests kept outstanding are answered busy.
        try (RicochetServerProcess small = new RicochetServerProcess("--offload-threads", "1", "--offload-queue", "1",
                "--prime-cache-size", "0")) {
            Loadgen.Outcome o = loadgen("--target", small.primeTarget(), "--workload", "prime", "--numbers", "15d",
                    "--connections", "10", "--pipeline", "8", "--warmup", "0s", "--duration", "1s",
                    "--max-shed-rate", "1");
            assertThat(o.exitCode()).as(o.toString()).isZero();
            assertThat(o.figure("measured", "shed")).isPositive();
            assertThat(o.figure("errors", "mismatch")).isZero();
            assertThat(o.figure("connections", "established")).isEqualTo(10);
            assertThat(o.everySentRequestIsAccountedFor()).isTrue();
        }
    }

    @Test
    void theIdleWorkloadHoldsItsConnections() throws Exception {
        Loadgen.Outcome o = loadgen("--target", server.echoTarget(), "--workload", "idle", "--connections", "300",
                "--warmup", "0s", "--duration", "1500ms");
        assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
        assertThat(o.json().get("connections_established").asInt()).isEqualTo(300);
        assertThat(o.json().get("connections_open_at_end").asInt()).isEqualTo(300);
        assertThat(o.json().get("load_model").asText()).isEqualTo("none");
        assertThat(o.out()).contains("holding them without requests").doesNotContain("Latency");
    }

    @Test
    void aCorruptedReplyByteIsCaughtAsAMismatchWithItsOffset() throws Exception {
        try (ScriptedEchoServer corrupting = new ScriptedEchoServer(ScriptedEchoServer.Fault.CORRUPT_ONE_BYTE)) {
            Loadgen.Outcome o = loadgen("--target", corrupting.target(), "--connections", "2", "--warmup", "0s",
                    "--duration", "1s", "--message-size", "64");
            assertThat(o.exitCode()).isEqualTo(1);
            assertThat(o.json().get("errors").get("mismatch").asLong()).isEqualTo(1);
            assertThat(o.out()).containsPattern("Mismatch .*reply byte \\d+: expected '.' \\(0x[0-9a-f]+\\), got");
            assertThat(o.err()).contains("FAILED (replies did not match the protocol)");
        }
    }

    @Test
    void aOneSecondStallShowsInTheCorrectedTailButNotInTheUncorrectedOne() throws Exception {
        try (ScriptedEchoServer stalling = new ScriptedEchoServer(ScriptedEchoServer.Fault.STALL_ONE_SECOND_ONCE)) {
            Path log = work.resolve("stall.hlog");
            // 10 connections at 100 requests/s each for 8 s: the stalled connection's 100
            // planned requests are 1.25% of all; only one request actually waits the second.
            Loadgen.Outcome o = loadgen("--target", stalling.target(), "--connections", "10", "--rate", "1000",
                    "--warmup", "0s", "--duration", "8s", "--message-size", "16", "--hdr-log", log.toString());
            assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
            double corrected = o.json().get("latency_corrected_ms").get("p99.9").asDouble();
            double uncorrected = o.json().get("latency_uncorrected_ms").get("p99.9").asDouble();
            assertThat(corrected).as("corrected p99.9 ms").isGreaterThan(500);
            assertThat(uncorrected).as("uncorrected p99.9 ms").isLessThan(200);
            assertThat(o.json().get("latency_uncorrected_ms").get("max").asDouble()).isGreaterThan(900);
            // The pacing: every request sent (all in the measurement, after no warmup) has its
            // lag, and those planned behind the stalled one left about a second late.
            assertThat(o.figure("latency_corrected_ms", "samples")).isPositive();
            assertThat(o.json().get("send_lag_ms").get("samples").asLong()).isEqualTo(o.figure("whole_run", "sent"));
            assertThat(o.json().get("send_lag_ms").get("max").asDouble()).as("send lag max ms").isGreaterThan(500);
            assertThat(o.out()).contains("Send lag");

            HistogramLogReader reader = new HistogramLogReader(log.toFile());
            int intervals = 0;
            while (reader.nextIntervalHistogram() != null) {
                intervals++;
            }
            assertThat(intervals).as("corrected and uncorrected histograms per second").isGreaterThanOrEqualTo(12);
        }
    }

    @Test
    void rejectsBadOptionsWithExitCodeTwo() throws Exception {
        assertThat(loadgen("--target", "127.0.0.1").exitCode()).isEqualTo(2);
        assertThat(loadgen("--target", "127.0.0.1:1", "--workload", "http").err()).contains("--workload: http");
        assertThat(loadgen("--target", "127.0.0.1:1", "--numbers", "20d", "--workload", "prime").err())
                .contains("digit counts go from 1d to 19d");
        assertThat(loadgen("--target", "127.0.0.1:1", "--source-addresses", "127.0.0.9-127.0.0.1").err())
                .contains("ends before it starts");
        long maxFiles = ConnectionBudget.maxOpenFiles();
        if (maxFiles > 0 && maxFiles <= 10_000_000) { // --connections goes up to 10M; the JVM needs files of its own
            assertThat(loadgen("--target", "127.0.0.1:1", "--connections", String.valueOf(maxFiles)).err())
                    .contains("open files");
        }
        Loadgen.Outcome shed = loadgen("--target", "127.0.0.1:1", "--max-shed-rate", "1.5");
        assertThat(shed.exitCode()).isEqualTo(2);
        assertThat(shed.err()).contains("--max-shed-rate: 1.5 (expected: 0..1)").hasLineCount(1);
        assertThat(loadgen("--target", "127.0.0.1:1", "--min-achieved-rate", "-0.1").err())
                .contains("--min-achieved-rate: -0.1 (expected: 0..1)");
        Loadgen.Outcome transport = loadgen("--target", "127.0.0.1:1", "--transport", "dpdk");
        assertThat(transport.exitCode()).isEqualTo(2);
        assertThat(transport.err()).contains("--transport: dpdk (expected: auto, epoll, io_uring or nio)");
    }

    @Test
    void countsRefusedConnectionsAndFails() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Loadgen.Outcome o = loadgen("--target", "127.0.0.1:" + closedPort, "--connections", "3", "--warmup", "0s",
                "--duration", "500ms");
        assertThat(o.exitCode()).isEqualTo(1);
        // Each of the three is tried again and again while the run lasts, and every attempt counts.
        assertThat(o.figure("connections", "connect_failures", "refused")).isGreaterThanOrEqualTo(3)
                .isEqualTo(o.figure("errors", "refused"));
        assertThat(o.figure("connections", "established")).isZero();
    }
}
