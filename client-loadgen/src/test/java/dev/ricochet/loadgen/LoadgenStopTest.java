package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ricochet.loadgen.run.StopRequest;
import dev.ricochet.loadgen.testing.ScriptedEchoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped from another thread, as a signal's handler stops it ({@link SignalStop}), in this
 * JVM: what each kind of run reports of what ran. {@code LoadgenSignalTest} sends the signals.
 */
class LoadgenStopTest {

    @TempDir
    Path work;

    @Test
    void anInterruptedSearchReportsTheStepsItJudgedAndEndsInterrupted() throws Exception {
        Path json = work.resolve("search.json");
        StopRequest stop = new StopRequest();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ScriptedEchoServer server = new ScriptedEchoServer(ScriptedEchoServer.Fault.NONE)) {
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"--target",
                    server.target(), "--connections", "4", "--message-size", "2", "--find-rate", "p99<1s",
                    "--find-rate-from", "100", "--find-rate-max-steps", "30", "--warmup", "0s", "--duration", "300ms",
                    "--io-threads", "1", "--json", json.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    () -> stop));
            await().atMost(Duration.ofSeconds(60)).until(() -> err.toString(StandardCharsets.UTF_8).contains("[step 2]"));
            stop.make("SIGTERM", 143);

            assertThat(run.get()).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(143);
        }
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        List<JsonNode> steps = report.get("find_rate").get("steps").valueStream().toList();
        assertThat(steps).as("the steps judged before the stop").hasSizeGreaterThanOrEqualTo(2);
        assertThat(steps).allSatisfy(step -> assertThat(step.get("held").asBoolean()).isTrue());
        JsonNode answer = report.get("find_rate").get("answer");
        assertThat(answer.get("ending").asText()).isEqualTo("interrupted");
        assertThat(answer.get("confirmed").asBoolean()).isFalse();
        assertThat(answer.get("text").asText()).contains("not confirmed: the search was interrupted, " + steps.size()
                + " steps judged; the highest rate that held was ");
        JsonNode interrupted = report.get("interrupted");
        assertThat(interrupted.get("of_seconds").isNull()).as("a search has no set length").isTrue();
        assertThat(report.get("verdict").get("reason").asText()).isEqualTo("interrupted by SIGTERM after "
                + String.format(java.util.Locale.ROOT, "%.1f", report.get("seconds").asDouble()) + " s of the search, "
                + steps.size() + " steps judged");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("  INTERRUPTED    by SIGTERM after ");
    }
}
