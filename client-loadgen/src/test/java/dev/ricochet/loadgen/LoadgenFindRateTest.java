package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.report.HistogramText;
import dev.ricochet.loadgen.testing.ScriptedEchoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --find-rate} against servers whose answer is known by construction, over real loopback connections. */
class LoadgenFindRateTest {

    @TempDir
    Path work;

    @Test
    void findsTheRateOfAServerThatServesAtMostSoManyRequestsPerSecondWithinThePrecision() throws IOException {
        int capacity = 1_300;
        try (ScriptedEchoServer server = ScriptedEchoServer.servingAtMost(capacity)) {
            Loadgen.Outcome o = Loadgen.run(work, "--target", server.target(), "--connections", "20",
                    "--message-size", "16", "--find-rate", "p90<50ms", "--find-rate-from", "500",
                    "--find-rate-precision", "0.1", "--warmup", "500ms", "--duration", "1s");

            assertThat(o.exitCode()).as(o.toString()).isZero();
            JsonNode search = o.json().get("find_rate");
            JsonNode answer = search.get("answer");
            long found = answer.get("rate_per_second").asLong();
            // Below its capacity a request waits for its own service time only; above it the queue
            // grows by the excess every second, and its p90 passes 50 ms within a window a few
            // percent above it. The search ends within 10% of the lowest rate that missed.
            assertThat(found).as(o.toString()).isBetween(capacity * 85L / 100, capacity * 105L / 100);
            assertThat(answer.get("lowest_missed_per_second").asLong()).isLessThanOrEqualTo(found * 110 / 100);
            assertThat(answer.get("confirmed").asBoolean()).isTrue();
            assertThat(answer.get("ending").asText()).isEqualTo("converged");
            List<JsonNode> steps = search.get("steps").valueStream().toList();
            assertThat(steps.getLast().get("repeat").asBoolean()).isTrue();
            assertThat(steps.getLast().get("rate_per_second").asLong()).isEqualTo(found);
            for (JsonNode step : steps) {
                long rate = step.get("rate_per_second").asLong();
                long planned = step.get("planned").asLong();
                long answered = step.get("answered").asLong();
                long unanswered = step.get("unanswered_at_judgement").asLong();
                assertThat(planned).as("a 1 s window at %d/s", rate).isEqualTo(rate);
                assertThat(answered + step.get("shed").asLong() + step.get("failed").asLong() + unanswered)
                        .as("every request planned in the window has a fate").isEqualTo(planned);
                assertThat(HistogramText.decode(step.get("histograms").get("corrected").asText()).getTotalCount())
                        .as("the unanswered ones with their latency so far").isEqualTo(answered + unanswered);
                if (rate <= capacity * 8 / 10) {
                    assertThat(step.get("held").asBoolean()).as("%d/s, well below the capacity", rate).isTrue();
                }
                if (rate >= capacity * 11 / 10) {
                    assertThat(step.get("outcome").asText()).as("%d/s, well above the capacity", rate)
                            .isEqualTo("missed");
                }
            }
            assertThat(o.out()).contains(String.format(Locale.ROOT, "Highest rate with corrected p90 < 50ms: %,d"
                    + " requests/s (held twice: p90 ", found)).contains("; the next step up, ");
            assertThat(o.err()).contains("[step 1] 500 requests/s: held, ");
        }
    }

    @Test
    void anErrorEndsTheSearchAndTheLastRateThatHeldStandsUnconfirmed() throws IOException {
        // The server's 1,000th reply byte is wrong: with 2-byte frames, its 500th request, in the second step.
        try (ScriptedEchoServer server = new ScriptedEchoServer(ScriptedEchoServer.Fault.CORRUPT_ONE_BYTE)) {
            Loadgen.Outcome o = Loadgen.run(work, "--target", server.target(), "--connections", "10",
                    "--message-size", "2", "--find-rate", "p99<100ms", "--find-rate-from", "200", "--warmup", "300ms",
                    "--duration", "1s");

            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            JsonNode search = o.json().get("find_rate");
            assertThat(search.get("steps")).hasSize(2);
            assertThat(search.get("steps").get(0).get("held").asBoolean()).as(o.toString()).isTrue();
            JsonNode second = search.get("steps").get(1);
            assertThat(second.get("outcome").asText()).isEqualTo("error");
            assertThat(second.get("errors").get("mismatch").asLong()).isPositive();
            assertThat(second.get("connections_lost").asLong()).isEqualTo(1);
            assertThat(search.get("answer").get("rate_per_second").asLong()).isEqualTo(200);
            assertThat(search.get("answer").get("confirmed").asBoolean()).isFalse();
            assertThat(search.get("answer").get("ending").asText()).isEqualTo("error");
            assertThat(o.out()).contains("Highest rate with corrected p99 < 100ms: not confirmed: the search ended on"
                    + " an error at step 2, 400/s (1 connection lost; ").contains("the last rate that held was 200/s");
            assertThat(o.err()).contains("FAILED (replies did not match the protocol)");
        }
    }

    @Test
    void mergeRefusesASearchsReport() throws IOException {
        try (ScriptedEchoServer server = ScriptedEchoServer.servingAtMost(10_000)) {
            Loadgen.Outcome o = Loadgen.run(work, "--target", server.target(), "--connections", "2",
                    "--find-rate", "max<1s", "--find-rate-from", "50", "--find-rate-max-steps", "1", "--warmup", "0s",
                    "--duration", "300ms");
            assertThat(o.exitCode()).as(o.toString()).isZero();
            Path report;
            try (Stream<Path> files = Files.list(work)) {
                report = files.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
            }

            Loadgen.Outcome merge = Loadgen.runExactly("merge", report.toString());

            assertThat(merge.exitCode()).as(merge.toString()).isEqualTo(2);
            assertThat(merge.err()).contains(report + ": the report of a --find-rate search, which runs in one process");
        }
    }
}
