package dev.ricochet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ricochet.server.admin.AdminServer;
import dev.ricochet.server.admin.Readiness;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.NettyEngine;
import dev.ricochet.server.prime.PrimeMethod;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.Http;
import dev.ricochet.server.testing.LineClient;
import dev.ricochet.server.tls.ServerTls;
import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.server.transport.TransportSelector;
import dev.ricochet.testing.TestPki;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the dashboard and the alert rules against a real Prometheus scraping a real server:
 * every PromQL expression parses and returns series, and promtool finds nothing wrong with
 * the /metrics page, the rules or the scrape configuration. Needs Debian's {@code prometheus}
 * package ({@code ./ricochet test} installs it when it is missing).
 *
 * <p>The server serves TLS on its echo and prime ports, as production does, so that the TLS
 * meters exist and the traffic makes handshakes; the admin port stays plain HTTP, as in the
 * production overlay, whose probes and scrapes speak HTTP.
 */
class PrometheusProofTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DASHBOARD = REPO.resolve("grafana/dashboards/ricochet.json");
    private static final Path RULES = REPO.resolve("deploy/prometheus/rules/ricochet-alerts.yml");
    private static final Path RULE_TESTS = REPO.resolve("deploy/prometheus/tests/ricochet-alerts.test.yml");
    private static final Path SCRAPE_CONFIG = REPO.resolve("deploy/prometheus/prometheus.yml");
    /** A comparison with a number that ends an alert expression: what is left must return series. */
    private static final Pattern THRESHOLD = Pattern.compile("(?s)^(.*?)\\s*(>=|<=|==|!=|>|<)\\s*(bool\\s+)?[-+0-9.eE]+\\s*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static ServerMetrics metrics;
    private static ServerTls tls;
    private static SSLSocketFactory tlsClients;
    private static NettyEngine server;
    private static AdminServer admin;
    private static Process prometheus;
    private static InetSocketAddress prometheusAddress;
    private static String instance;

    @BeforeAll
    static void startServerTrafficAndPrometheus() throws Exception {
        String promBinary = binary("prometheus");
        metrics = ServerMetrics.prometheus();
        metrics.proxyProtocol("echo"); // as --proxy-protocol registers it, for promtool to check
        TestPki ca = TestPki.create(work, "proof-ca");
        TestPki.Issued certificate = ca.server("localhost", "127.0.0.1");
        tlsClients = ((JdkSslContext) SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(ca.caFile().toFile()).build()).context().getSocketFactory();
        ServerConfig config = ServerConfig.loopback(TransportKind.AUTO)
                // no cache: every request is computed and timed
                .withPrime(p -> p.withMethod(PrimeMethod.TRIAL_DIVISION).withOffloadQueue(100).withCacheSize(0))
                .withConnections(c -> c.withMax(1000))
                .withTls(t -> t.withCertificate(certificate.certificate(), certificate.key()));
        // As Main does: the files read before anything listens, the reloader (and the
        // certificate's meters) once the engine runs.
        tls = ServerTls.load(config.tls());
        server = NettyEngine.start(config, TransportSelector.select(config.eventLoops().transport()), tls, metrics);
        tls.startReloading(metrics);
        Readiness readiness = new Readiness();
        readiness.ready();
        admin = AdminServer.start(InetAddress.getLoopbackAddress(), 0, metrics, readiness);
        instance = "127.0.0.1:" + admin.address().getPort();
        driveTraffic();

        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        prometheusAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        Path config1 = work.resolve("prometheus.yml");
        Files.writeString(config1, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: ricochet
                    static_configs:
                      - targets: ["%s"]
                """.formatted(RULES, instance));
        prometheus = new ProcessBuilder(promBinary, "--config.file=" + config1,
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        // Two scrapes at least, so that rate() has two samples to work with.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(query("count_over_time(up{job=\"ricochet\"}[1m]) >= 3")).isNotEmpty());
        driveTraffic(); // traffic between scrapes, so that the rates are not all zero
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(query("increase(ricochet_prime_requests_total[1m]) > 0")).isNotEmpty());
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
            prometheus.destroyForcibly();
        }
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
        if (tls != null) {
            tls.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    /** Echo and prime requests over TLS: two successful handshakes each time. */
    private static void driveTraffic() throws IOException {
        System.gc(); // the GC panel's series appear with the first collection

        try (EchoClient echo = EchoClient.connect(tlsClients, server.echoAddress());
                LineClient prime = new LineClient(tlsClients, server.primeAddress())) {
            echo.send("^hello$ ^world$");
            echo.readAscii(10);
            prime.send("7\n8\nnope\n999999999989\n");
            for (int i = 0; i < 4; i++) {
                prime.readLine();
            }
        }
    }

    @Test
    void everyDashboardExpressionReturnsSeries() throws Exception {
        List<String> expressions = new ArrayList<>();
        collectExpressions(JSON.readTree(DASHBOARD.toFile()).path("panels"), expressions);
        assertThat(expressions).hasSizeGreaterThan(20);
        List<String> empty = new ArrayList<>();
        for (String expr : expressions) {
            String concrete = expr.replace("${instance}", instance).replace("$instance", instance)
                    .replace("$engine", "netty")
                    .replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "5m");
            if (!hasANumber(query(concrete))) {
                empty.add(concrete);
            }
        }
        assertThat(empty).as("dashboard expressions without a series that has a number").isEmpty();
    }

    @Test
    void everyAlertRuleParsesAndItsMeasuredSideReturnsSeries() throws Exception {
        JsonNode groups = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile()).path("groups");
        List<String> empty = new ArrayList<>();
        int rules = 0;
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                rules++;
                String expr = rule.path("expr").asText();
                query(expr); // must parse and evaluate, whatever it returns
                Matcher threshold = THRESHOLD.matcher(expr);
                String measured = threshold.matches() ? threshold.group(1) : expr;
                if (!hasANumber(query(measured))) {
                    empty.add(rule.path("alert").asText() + ": " + measured);
                }
            }
        }
        assertThat(rules).isEqualTo(10);
        assertThat(empty).as("alert expressions without a series that has a number").isEmpty();
    }

    @Test
    void prometheusEvaluatesEveryRuleWithoutError() throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode groups = api("/api/v1/rules").path("data").path("groups");
            List<String> health = new ArrayList<>();
            for (JsonNode group : groups) {
                for (JsonNode rule : group.path("rules")) {
                    health.add(rule.path("name").asText() + "=" + rule.path("health").asText()
                            + rule.path("lastError").asText(""));
                }
            }
            assertThat(health).hasSize(10).allSatisfy(h -> assertThat(h).endsWith("=ok"));
        });
    }

    @Test
    void promtoolFindsNoProblemOnTheMetricsPage() throws Exception {
        String page = Http.get(admin.address(), "/metrics").body();
        Path file = work.resolve("metrics.txt");
        Files.writeString(file, page);
        assertThat(promtool(file, "check", "metrics")).isEmpty();
    }

    @Test
    void promtoolAcceptsTheRulesTheirUnitTestsAndTheScrapeConfig() throws Exception {
        promtool(null, "check", "rules", RULES.toString());
        promtool(null, "test", "rules", RULE_TESTS.toString());
        promtool(null, "check", "config", SCRAPE_CONFIG.toString());
    }

    private static void collectExpressions(JsonNode panels, List<String> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    into.add(target.get("expr").asText());
                }
            }
            collectExpressions(panel.path("panels"), into);
        }
    }

    /** Whether any series of an instant-query result has a value that is a number (not NaN). */
    private static boolean hasANumber(JsonNode result) {
        for (JsonNode series : result) {
            String value = series.path("value").path(1).asText();
            if (!value.isEmpty() && !value.equals("NaN")) {
                return true;
            }
        }
        return false;
    }

    /** Runs an instant query; fails unless Prometheus answers success. */
    private static JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode answer = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(answer.path("status").asText()).as("query %s: %s", promql, answer).isEqualTo("success");
        return answer.path("data").path("result");
    }

    private static JsonNode api(String path) throws IOException, InterruptedException {
        return JSON.readTree(Http.get(prometheusAddress, path).body());
    }

    /** Runs promtool with {@code stdin} (null: none), failing unless it exits 0; its output, trimmed. */
    static String promtool(Path stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary("promtool")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
        return output.trim();
    }

    private static String binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return fail(name + " is not on PATH: install Debian's prometheus package"
                + " (./ricochet test installs it when it can)");
    }
}
