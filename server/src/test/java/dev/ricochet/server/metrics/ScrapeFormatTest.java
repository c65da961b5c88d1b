package dev.ricochet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScrapeFormatTest {

    @ParameterizedTest(name = "{0} -> OpenMetrics {1}")
    @CsvSource(delimiter = '|', value = {
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5 | true",
            // What Prometheus 2.x sends
            "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2 | true",
            "application/openmetrics-text;q=0, text/plain | false",
            "application/openmetrics-text; q=0.0 | false",
            "text/plain;q=0.9, application/openmetrics-text;q=0.8 | false",
            "text/plain;q=0.5, application/openmetrics-text;q=0.8 | true",
            "application/openmetrics-text, text/plain | true",
            "text/plain, application/openmetrics-text | false",
            "application/*;q=0.9, text/plain;q=0.1 | true",
            "application/openmetrics-text;q=0, application/*;q=1 | false",
            "*/* | false",
            "text/plain | false",
            "application/json | false",
            "APPLICATION/OpenMetrics-Text | true",
            "application/openmetrics-text;q=abc, text/plain;q=0.1 | false",
            "application/openmetrics-text;q=2 | false",
            "'' | false"})
    void honoursQualityValuesAndSpecificity(String accept, boolean openMetrics) {
        assertThat(ScrapeFormat.prefersOpenMetrics(accept)).isEqualTo(openMetrics);
    }

    @org.junit.jupiter.api.Test
    void servesTheTextFormatWithoutAnAcceptHeader() {
        assertThat(ScrapeFormat.prefersOpenMetrics(null)).isFalse();
    }
}
