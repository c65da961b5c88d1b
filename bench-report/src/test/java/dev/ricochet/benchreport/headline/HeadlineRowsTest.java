package dev.ricochet.benchreport.headline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadlineRowsTest {

    @TempDir
    Path results;

    @Test
    void readsEachRowFromItsResultsFile() throws IOException, URISyntaxException {
        copyFixtures();

        List<HeadlineRow> rows = HeadlineRows.read(results);

        assertThat(rows).extracting(HeadlineRow::ricochet, HeadlineRow::reference, HeadlineRow::source).containsExactly(
                tuple("70,001/s at 11.1 µs", "60,000/s at 12.0 µs", "c10k-vs-reference.md"),
                tuple("40,000/s", "not confirmed: 50,000/s held once", "knee.md"),
                tuple("125,000 / 40,500", "61,000 / 30,500", "prime-vs-reference.md"),
                tuple("800 / 790", "100 / 99", "c10k-vs-reference.md"),
                tuple("28.3 µs, 8.32 ms", "50.7 µs, 8.25 ms", "tls.md"),
                tuple("2.1 KiB", "1.0 KiB", "c10k-vs-reference.md"));
    }

    @Test
    void saysWhenAndUnderWhatLoadEachRowWasMeasured() throws IOException, URISyntaxException {
        copyFixtures();

        List<HeadlineRow> rows = HeadlineRows.read(results);

        assertThat(rows.get(0).when()).isEqualTo("2026-01-02T03:04Z");
        assertThat(rows.get(0).context()).isEqualTo("2 rounds, load 1.50");
        assertThat(rows.get(1).context()).isEqualTo("searched, 1 round, load 0.25");
        assertThat(rows.get(2).measure()).contains("100 closed-loop connections", "`6d` / `12d`");
        assertThat(rows.get(3).measure()).contains("100 connections, 1 KiB frames");
    }

    @Test
    void aFigureChangedInTheResultsChangesItsRow() throws IOException, URISyntaxException {
        copyFixtures();
        Path tls = results.resolve("tls.json");
        Files.writeString(tls, Files.readString(tls).replace("28.26", "31.04"));

        assertThat(HeadlineRows.read(results).get(4).ricochet()).isEqualTo("31.0 µs, 8.32 ms");
    }

    @Test
    void aServerTheScriptDidNotRunIsSaidNotRun() throws IOException, URISyntaxException {
        copyFixtures();
        Path tls = results.resolve("tls.json");
        Files.writeString(tls, Files.readString(tls).replace("haproxy-reference", "haproxy-ricochet"));

        assertThat(HeadlineRows.read(results).get(4).reference()).isEqualTo(Figures.NOT_RUN);
    }

    @Test
    void aKneeMeasuredRateByRateIsTheHighestRateThatHeld() throws IOException, URISyntaxException {
        copyFixtures();
        Files.writeString(results.resolve("knee.json"), """
                {"mode": "rates", "started": "2026-01-06T07:08Z", "load_before": "3.00 2.00 1.00",
                 "p99_limit_ms": 2.5, "connections": 5000, "server_options": "--io-threads 1",
                 "servers": {"ricochet": {"knee_per_second": 45000, "rates": []},
                             "reference": {"knee_per_second": null, "rates": []}}}
                """);

        HeadlineRow knee = HeadlineRows.read(results).get(1);

        assertThat(knee.ricochet()).isEqualTo("45,000/s");
        assertThat(knee.reference()).isEqualTo("none of the rates tried");
        assertThat(knee.measure()).contains("5,000 connections", "under 2.5 ms");
        assertThat(knee.context()).isEqualTo("rate by rate, load 3.00, Ricochet with `--io-threads 1`");
    }

    @Test
    void aMissingResultsFileIsNamedWithTheScriptThatWritesIt() throws IOException, URISyntaxException {
        copyFixtures();
        Files.delete(results.resolve("knee.json"));

        assertThatThrownBy(() -> HeadlineRows.read(results))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("knee.json: missing")
                .hasMessageContaining("bench/knee.sh");
    }

    @Test
    void aMissingFigureIsNamed() throws IOException, URISyntaxException {
        copyFixtures();
        Path c10k = results.resolve("c10k-vs-reference.json");
        Files.writeString(c10k, Files.readString(c10k).replace("\"server_cpu_us_per_request\": 11.06,", ""));

        assertThatThrownBy(() -> HeadlineRows.read(results))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server_cpu_us_per_request: missing");
    }

    private void copyFixtures() throws IOException, URISyntaxException {
        for (String name : List.of("c10k-vs-reference", "knee", "prime-vs-reference", "tls")) {
            Path fixture = Path.of(HeadlineRowsTest.class.getResource("/headline/" + name + ".json").toURI());
            Files.copy(fixture, results.resolve(name + ".json"));
        }
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
