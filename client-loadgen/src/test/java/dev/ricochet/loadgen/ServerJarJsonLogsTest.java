package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ricochet.loadgen.testing.RicochetServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's shaded jar writes JSON logs when asked: Log4j finds its JSON layout only when
 * the jar merges the plugin caches of log4j-core and log4j-layout-template-json, which the
 * server's own tests (run from its classes, before the jar exists) cannot see. Here because
 * this module's tests are the ones that run the jar. (The fields: the server's JsonLogsTest.)
 */
class ServerJarJsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLineTheServerJarWritesWithLogFormatJsonIsAJsonEvent() throws Exception {
        RicochetServerProcess server = new RicochetServerProcess("--log-format", "json");
        server.close();
        // The last lifecycle line, whatever its layout: the lines below are then all read.
        await().atMost(Duration.ofSeconds(20)).until(() -> server.output().stream().anyMatch(l -> l.contains("Stopped")));

        List<JsonNode> events = new ArrayList<>();
        for (String line : server.output()) {
            assertThat(line).as("a JSON object per line (a Log4j status error would be plain text): %s",
                    server.output()).startsWith("{");
            events.add(JSON.readTree(line));
        }
        assertThat(events).allSatisfy(e -> assertThat(e.has("@timestamp") && e.has("log.level") && e.has("log.logger")
                && e.has("process.thread.name") && e.has("message")).as("%s", e).isTrue());
        assertThat(events.getFirst().get("message").asText()).startsWith("Listening: echo on 127.0.0.1:");
        assertThat(events.getLast().get("message").asText()).isEqualTo("Stopped");
    }
}
