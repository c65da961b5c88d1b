package dev.ricochet.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.Http;
import io.micrometer.core.instrument.Gauge;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AdminServerTest {

    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private final Readiness readiness = new Readiness();
    private AdminServer admin;

    private AdminServer start(ServerMetrics with) throws Exception {
        admin = AdminServer.start(InetAddress.getLoopbackAddress(), 0, with, readiness);
        return admin;
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        metrics.close();
    }

    @Test
    void servesMetricsInThePrometheusTextFormat() throws Exception {
        HttpResponse<String> response = Http.get(start(metrics).address(), "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# HELP ricochet_connections_active Connections open now")
                .contains("ricochet_connections_closed_total{engine=\"netty\",protocol=\"echo\",reason=\"idle\"} 0")
                .contains("ricochet_connections_closed_total{engine=\"netty\",protocol=\"echo\",reason=\"drained\"} 0")
                .containsPattern("(?m)^ricochet_log_events_discarded_total\\{engine=\"netty\"} \\d");
    }

    @Test
    void servesTheTextFormatWhenTheScraperRefusesOpenMetrics() throws Exception {
        HttpResponse<String> response = Http.send(start(metrics).address(), "/metrics", "GET",
                "application/openmetrics-text;q=0, text/plain");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).doesNotContain("# EOF");
    }

    @Test
    void servesOpenMetricsWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> response = Http.send(start(metrics).address(), "/metrics", "GET",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(response.body()).endsWith("# EOF\n");
    }

    @Test
    void saysLiveAlways() throws Exception {
        HttpResponse<String> response = Http.get(start(metrics).address(), "/health/live");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void saysReadyOnlyBetweenStartAndDrain() throws Exception {
        start(metrics);
        assertThat(Http.get(admin.address(), "/health/ready").statusCode()).isEqualTo(503);
        readiness.ready();
        assertThat(Http.get(admin.address(), "/health/ready").statusCode()).isEqualTo(200);
        readiness.notReady();
        assertThat(Http.get(admin.address(), "/health/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void answers404ForAnyOtherPath() throws Exception {
        assertThat(Http.get(start(metrics).address(), "/metricz").statusCode()).isEqualTo(404);
        assertThat(Http.get(admin.address(), "/").statusCode()).isEqualTo(404);
    }

    /** RFC 9112 section 3.2.2: a server must accept the absolute form, which proxies are sent. */
    @ParameterizedTest
    @CsvSource({
            "http://x/metrics, ricochet_connections_active",
            "http://127.0.0.1:8080/health/live, live",
            "HTTP://Admin.Example:80/health/ready?verbose=1, ready",
            "https://[::1]/health/live, live"})
    void servesARequestTargetInAbsoluteFormAsItsPath(String target, String body) throws Exception {
        start(metrics);
        readiness.ready();
        assertThat(exchange("GET " + target)).startsWith("HTTP/1.1 200 ").contains(body);
    }

    @Test
    void answers404ForAnyOtherPathInAbsoluteForm() throws Exception {
        start(metrics);
        assertThat(exchange("GET http://x/metricz")).startsWith("HTTP/1.1 404 ").endsWith("not found: /metricz\n");
        assertThat(exchange("GET http://x")).startsWith("HTTP/1.1 404 ").endsWith("not found: /\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x/metrics", "http:///metrics", "http://:8080/metrics", "http://user@x/metrics"})
    void answers400ForAnAbsoluteTargetThatIsNoHttpUriWithAHost(String target) throws Exception {
        start(metrics);
        assertThat(exchange("GET " + target)).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void answers405ForOtherMethodsNamingTheAllowedOnes() throws Exception {
        HttpResponse<String> response = Http.send(start(metrics).address(), "/metrics", "POST", null);
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void answersHeadWithHeadersOnly() throws Exception {
        HttpResponse<String> response = Http.send(start(metrics).address(), "/health/live", "HEAD", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void answers404ForMetricsWhenTheyAreOff() throws Exception {
        HttpResponse<String> response = Http.get(start(ServerMetrics.disabled()).address(), "/metrics");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("--metrics=false");
    }

    @Test
    void answersHealthProbesWhileAScrapeIsStillRendering() throws Exception {
        SlowGauge slow = SlowGauge.register(metrics);
        AdminServer server = start(metrics);
        readiness.ready();
        CompletableFuture<HttpResponse<String>> scrape = CompletableFuture.supplyAsync(() -> get(server, "/metrics"));
        slow.awaitStarted();
        assertThat(Http.get(server.address(), "/health/ready").statusCode()).isEqualTo(200);
        assertThat(Http.get(server.address(), "/health/live").statusCode()).isEqualTo(200);
        assertThat(scrape).isNotDone();
        slow.release();
        assertThat(scrape.get(10, TimeUnit.SECONDS).body()).contains("test_slow{engine=\"netty\"} 1.0");
    }

    @Test
    void answersRequestsPipelinedBehindAScrapeInTheirOrder() throws Exception {
        SlowGauge slow = SlowGauge.register(metrics);
        AdminServer server = start(metrics);
        try (Socket client = new Socket(server.address().getAddress(), server.address().getPort())) {
            client.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            slow.awaitStarted();
            slow.release();
            String both = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(both.indexOf("test_slow")).isPositive().isLessThan(both.indexOf("live\n"));
        }
    }

    @Test
    void refusesScrapesBeyondTheFewThatMayWait() throws Exception {
        SlowGauge slow = SlowGauge.register(metrics);
        AdminServer server = start(metrics);
        List<CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            scrapes.add(CompletableFuture.supplyAsync(() -> get(server, "/metrics")));
        }
        slow.awaitStarted();
        // One renders, four wait: the sixth is told to come back.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> scrapes.stream()
                .anyMatch(f -> f.isDone() && f.join().statusCode() == 503));
        slow.release();
        long ok = 0;
        for (CompletableFuture<HttpResponse<String>> scrape : scrapes) {
            ok += scrape.get(10, TimeUnit.SECONDS).statusCode() == 200 ? 1 : 0;
        }
        assertThat(ok).isEqualTo(5);
    }

    /** One request over a socket of its own, as written (the JDK's client sends origin form only). */
    private String exchange(String requestLine) throws Exception {
        try (Socket client = new Socket(admin.address().getAddress(), admin.address().getPort())) {
            client.setSoTimeout(20_000); // guards against a hang only
            client.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static HttpResponse<String> get(AdminServer server, String path) {
        try {
            return Http.get(server.address(), path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A gauge whose reading blocks until released: a scrape that takes as long as the test wants. */
    private static final class SlowGauge {
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        static SlowGauge register(ServerMetrics metrics) {
            SlowGauge slow = new SlowGauge();
            Gauge.builder("test.slow", slow, SlowGauge::read).register(metrics.registry());
            return slow;
        }

        private double read() {
            started.countDown();
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            released.countDown();
        }
    }
}
