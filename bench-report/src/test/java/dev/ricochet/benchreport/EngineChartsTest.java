package dev.ricochet.benchreport;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineChartsTest {

    @TempDir
    Path out;

    @Test
    void writesEveryChartAsAPngOfItsSize() throws IOException, URISyntaxException {
        List<Path> written = EngineCharts.writeAll(EnginesResults.read(fixture()), out);

        assertThat(written).extracting(file -> file.getFileName().toString()).containsExactly(
                "engines-requests-per-second.png", "engines-p99.png", "engines-errors.png", "engines-rss.png",
                "engines-threads.png", "engines-prime-mix.png");
        for (Path file : written) {
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image).as(file.toString()).isNotNull();
            assertThat(image.getWidth()).as(file.toString()).isEqualTo(EngineCharts.WIDTH);
            assertThat(image.getHeight()).as(file.toString()).isEqualTo(
                    file.endsWith("engines-prime-mix.png") ? EngineCharts.PRIME_MIX_HEIGHT : EngineCharts.HEIGHT);
        }
    }

    @Test
    void readsARunWithoutFiguresAsNotANumber() throws IOException, URISyntaxException {
        EngineRun sequential = EnginesResults.read(fixture()).runs(EngineRun.ECHO_CLOSED_LOOP).stream()
                .filter(run -> run.engine().equals("sequential")).findFirst().orElseThrow();

        assertThat(sequential.requestsPerSecond()).isNaN();
        assertThat(sequential.p99Millis()).isNaN();
        assertThat(sequential.connections()).isEqualTo(100);
    }

    private static Path fixture() throws URISyntaxException {
        return Path.of(EngineChartsTest.class.getResource("/engines-fixture.json").toURI());
    }
}
