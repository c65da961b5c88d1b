package dev.ricochet.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ricochet.server.testing.ServerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --log-format json} as a log collector reads it: the real server process with the
 * production log configuration, and every line it writes, on stdout and stderr, parsed.
 */
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** ISO-8601 in UTC with milliseconds, as {@code @timestamp} promises. */
    private static final Pattern UTC_MILLIS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    private static final Set<String> EVENT_FIELDS = Set.of("@timestamp", "ecs.version", "log.level", "log.logger",
            "process.thread.name", "message");
    private static final Set<String> ERROR_FIELDS = Set.of("error.type", "error.message", "error.stack_trace");
    /** log4j2.xml's text line: {@code 2026-12-07T22:36:29.057Z INFO  [main] Main - Listening: ...}. */
    private static final Pattern TEXT_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) (TRACE|DEBUG|INFO |WARN |ERROR|FATAL)"
                    + " \\[[^]]+] \\w+ - .*");

    private final List<ServerProcess> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(ServerProcess::close);
    }

    @Test
    void writesEveryLineOfARunAsOneJsonEventWithTheFieldsCollectorsRead() throws Exception {
        // 1 KiB of direct memory for Netty: the first read of a connection cannot get a buffer,
        // which logs a DEBUG line with the error's stack trace and a WARN (ConnectionErrors).
        ServerProcess server = start(List.of("-Dio.netty.maxDirectMemory=1024"), Map.of("RICOCHET_LOG_LEVEL", "DEBUG"),
                "--log-format", "json", "--transport", "nio", "--shutdown-delay", "0s");
        InetSocketAddress echo = server.awaitListening();
        try (Socket client = new Socket(echo.getAddress(), echo.getPort())) {
            OutputStream out = client.getOutputStream();
            out.write("^abc".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.stdoutContains("out of direct memory"));
        }
        assertThat(server.stop()).isZero();

        List<JsonNode> events = parseEveryLine(server);
        assertThat(events).allSatisfy(JsonLogsTest::isWellFormed);
        assertThat(events).filteredOn(e -> text(e, "message").startsWith("Listening: echo on 127.0.0.1:"))
                .singleElement().satisfies(e -> {
                    assertThat(text(e, "log.level")).isEqualTo("INFO");
                    assertThat(text(e, "log.logger")).isEqualTo("dev.ricochet.server.Main");
                    assertThat(text(e, "process.thread.name")).isEqualTo("main");
                });
        assertThat(events).filteredOn(e -> text(e, "log.level").equals("WARN"))
                .anySatisfy(e -> assertThat(text(e, "message")).startsWith("Connection closed: out of direct memory"));
        assertThat(events).filteredOn(e -> e.has("error.type")).first().satisfies(e -> {
            assertThat(text(e, "log.level")).isEqualTo("DEBUG");
            assertThat(text(e, "message")).contains("closed: out of direct memory");
            assertThat(text(e, "error.type")).isEqualTo("io.netty.util.internal.OutOfDirectMemoryError");
            assertThat(text(e, "error.message")).startsWith("failed to allocate");
            assertThat(text(e, "error.stack_trace")).as("the whole trace in one string")
                    .startsWith("io.netty.util.internal.OutOfDirectMemoryError: failed to allocate")
                    .contains("\n\tat io.netty.");
        });
        assertThat(text(events.getLast(), "message")).isEqualTo("Stopped");
    }

    @Test
    void takesTheFormatFromItsEnvironmentVariableEvenOnceLog4jHasStarted() throws Exception {
        // Run as deployed: Log4j is already running with the text layout when the variable is read.
        ServerProcess server = ServerProcess.startAsDeployed(List.of("--shutdown-delay", "0s"),
                Map.of("RICOCHET_LOG_FORMAT", "json"));
        started.add(server);
        server.awaitListening();
        assertThat(server.stop()).isZero();
        List<JsonNode> events = parseEveryLine(server);
        assertThat(events).allSatisfy(JsonLogsTest::isWellFormed);
        assertThat(events).extracting(e -> text(e, "message")).anyMatch(m -> m.startsWith("Listening:")).endsWith("Stopped");
    }

    @Test
    void keepsTheTextLinesByDefault() throws Exception {
        ServerProcess server = start(List.of(), Map.of(), "--shutdown-delay", "0s");
        server.awaitListening();
        assertThat(server.stop()).isZero();
        assertThat(server.stderrLines()).isEmpty();
        assertThat(server.stdoutLines()).isNotEmpty().allMatch(line -> TEXT_LINE.matcher(line).matches());
        assertThat(server.stdoutLines().getFirst()).contains(" INFO  [main] Main - Listening: echo on 127.0.0.1:");
        assertThat(server.stdoutLines().getLast()).endsWith(" - Stopped");
    }

    @Test
    void refusesAnUnknownFormatWithExitTwoAndOnePlainLine() throws Exception {
        ServerProcess server = start(List.of(), Map.of("RICOCHET_LOG_FORMAT", "xml"));
        assertThat(server.awaitExit()).isEqualTo(2);
        assertThat(server.stdoutLines()).isEmpty();
        assertThat(server.stderrLines()).singleElement().asString().startsWith("ricochet server: ")
                .contains("'xml' (expected: one of text, json)").contains("RICOCHET_LOG_FORMAT");
    }

    @Test
    void keepsTheReasonOfABadUsagePlainWhenTheFormatIsJson() throws Exception {
        // The transport asked for is checked after the options, so the format is already chosen.
        ServerProcess server = start(List.of("-Dio.netty.transport.noNative=true"), Map.of(),
                "--log-format", "json", "--transport", "epoll");
        assertThat(server.awaitExit()).isEqualTo(2);
        assertThat(server.stderrLines()).singleElement().asString()
                .startsWith("ricochet server: --transport epoll is not available on this machine: ");
        assertThat(server.stdoutLines()).allSatisfy(line -> isWellFormed(JSON.readTree(line)));
    }

    /** Every line of stdout and stderr, each of which must be one JSON object. */
    private static List<JsonNode> parseEveryLine(ServerProcess server) {
        List<String> lines = new ArrayList<>(server.stdoutLines());
        lines.addAll(server.stderrLines());
        assertThat(lines).as("lines written").isNotEmpty();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            try {
                events.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }
        return events;
    }

    /** The fields of every event, and the error fields exactly when there is an error. */
    private static void isWellFormed(JsonNode event) {
        assertThat(event.isObject()).as("an object: %s", event).isTrue();
        Set<String> fields = new HashSet<>();
        event.fieldNames().forEachRemaining(fields::add);
        Set<String> expected = new HashSet<>(EVENT_FIELDS);
        if (event.has("error.type")) {
            expected.addAll(ERROR_FIELDS);
        }
        assertThat(fields).as("fields of %s", event).isEqualTo(expected);
        assertThat(text(event, "@timestamp")).matches(UTC_MILLIS);
        assertThat(text(event, "log.level")).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
        assertThat(text(event, "log.logger")).isNotBlank();
        assertThat(text(event, "process.thread.name")).isNotBlank();
        assertThat(event.get("message").isTextual()).isTrue();
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        assertThat(value).as("%s of %s", field, event).isNotNull();
        return value.asText();
    }

    private ServerProcess start(List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        ServerProcess server = ServerProcess.start(jvmOptions, List.of(args), env);
        started.add(server);
        return server;
    }
}
