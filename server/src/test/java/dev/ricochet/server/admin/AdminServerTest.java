package dev.ricochet.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.Http;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
}
