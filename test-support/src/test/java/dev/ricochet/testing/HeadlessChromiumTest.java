package dev.ricochet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The browser harness against Debian's chromium, on small pages written here. */
class HeadlessChromiumTest {

    /** A chart as the reports draw them: inline SVG, its text as text, nothing fetched. */
    static final String CHART_PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>a chart</title>
            <style>body { font-family: sans-serif; margin: 0 } h1 { font-size: 20px }</style></head>
            <body>
            <h1 id="verdict">Verdict: passed</h1>
            <svg id="spectrum" xmlns="http://www.w3.org/2000/svg" width="600" height="300">
              <defs><clipPath id="clip-0"><rect width="600" height="300"/></clipPath></defs>
              <g clip-path="url(#clip-0)">
                <rect width="600" height="300" fill="#eeeeee"/>
                <polyline points="0,280 200,250 400,150 600,20" fill="none" stroke="#3366cc" stroke-width="3"/>
                <text x="20" y="40" font-size="16">p99 latency 1.25 ms</text>
              </g>
            </svg>
            <p><a href="https://github.com/HdrHistogram/HdrHistogram">HdrHistogram</a></p>
            </body></html>
            """;

    @TempDir
    Path dir;

    private final HeadlessChromium chromium = HeadlessChromium.find();

    @Test
    void screenshotsAPageWithAnInlineSvgAsANonBlankFirstScreen() throws Exception {
        Path page = write("chart.html", CHART_PAGE);

        BufferedImage shot = chromium.screenshot(page, dir.resolve("shots/chart.png"));

        assertThat(shot.getWidth()).isEqualTo(1366);
        assertThat(shot.getHeight()).isEqualTo(768);
        assertThat(dir.resolve("shots/chart.png")).isRegularFile();
        ScreenshotCheck.assertNotBlank(shot);
    }

    @Test
    void dumpsTheDomWithTheSvgsText() throws Exception {
        String dom = chromium.dumpDom(write("chart.html", CHART_PAGE));

        assertThat(dom).contains("<title>a chart</title>").contains("<svg id=\"spectrum\"")
                .contains("p99 latency 1.25 ms</text>");
    }

    @Test
    void seesABlankPageAsBlank() throws Exception {
        Path page = write("blank.html", "<!doctype html><html><head><title>nothing</title></head><body></body></html>");

        BufferedImage shot = chromium.screenshot(page, dir.resolve("blank.png"));

        assertThat(ScreenshotCheck.measure(shot, new java.awt.Rectangle(0, 0, 1366, 768)).blank()).isTrue();
        assertThatThrownBy(() -> ScreenshotCheck.assertNotBlank(shot))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("is blank: 1 colours");
    }

    @Test
    void measuresWhereElementsLieOnTheFirstScreen() throws Exception {
        Path page = write("chart.html", CHART_PAGE.replace("<p><a", "<div id=\"below\" style=\"margin-top: 900px;"
                + " height: 40px\">below the fold</div><p><a"));

        PageLayout layout = chromium.layout(page, "#verdict", "#spectrum", "#below", "canvas");

        assertThat(layout.viewportWidth()).isEqualTo(1366);
        assertThat(layout.viewportHeight()).isEqualTo(768);
        PageLayout.Box spectrum = layout.box("#spectrum");
        assertThat(spectrum.width()).isEqualTo(600);
        assertThat(spectrum.height()).isEqualTo(300);
        assertThat(spectrum.y()).isGreaterThan(layout.box("#verdict").bottom());
        assertThat(layout.box("#below").y()).isGreaterThan(768);
        assertThat(layout.boxes("canvas")).isEmpty();
        assertThatThrownBy(layout::assertVisibleWithoutScrolling).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("#below is 1366x40 at (0, ")
                .hasMessageContaining("canvas matched nothing")
                .hasMessageNotContaining("#spectrum").hasMessageNotContaining("#verdict");
    }

    @Test
    void checksAChartsOwnPixelsThroughItsBox() throws Exception {
        Path page = write("chart.html", CHART_PAGE.replace("<h1 id=\"verdict\">",
                "<div id=\"empty\" style=\"width: 600px; height: 300px\"></div><h1 id=\"verdict\">"));
        PageLayout layout = chromium.layout(page, "#spectrum", "#empty");
        BufferedImage shot = chromium.screenshot(page, dir.resolve("chart.png"));

        ScreenshotCheck.assertNotBlank(shot, layout.box("#spectrum").rectangle(), "the spectrum");
        assertThatThrownBy(() -> ScreenshotCheck.assertNotBlank(shot, layout.box("#empty").rectangle(), "the empty box"))
                .isInstanceOf(AssertionFailedError.class).hasMessageStartingWith("the empty box (600x300 at 0,0) is blank");
    }

    @Test
    void failsARunWhosePageAsksForTheNetworkNamingWhatItAskedFor() throws Exception {
        Path page = write("cdn.html", """
                <!doctype html><html><head><script src="https://cdn.example.com/chart.js"></script></head>
                <body><img src="http://192.0.2.1/logo.png"><p>hello</p></body></html>
                """);

        assertThatThrownBy(() -> chromium.dumpDom(page)).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("asked for the network")
                .hasMessageContaining("https://cdn.example.com/chart.js")
                .hasMessageContaining("http://192.0.2.1/logo.png");
    }

    @Test
    void cutsThePageOffTheNetworkLoopbackIncluded() throws Exception {
        AtomicInteger served = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\"></svg>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "image/svg+xml");
            exchange.sendResponseHeaders(200, svg.length);
            exchange.getResponseBody().write(svg);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            Path page = write("loopback.html", "<!doctype html><html><body><img src=\"http://127.0.0.1:" + port
                    + "/by-address.svg\"><img src=\"http://localhost:" + port + "/by-name.svg\"></body></html>");

            assertThatThrownBy(() -> chromium.dumpDom(page)).isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("http://127.0.0.1:" + port + "/by-address.svg")
                    .hasMessageContaining("http://localhost:" + port + "/by-name.svg");
            assertThat(served).hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void opensTheCopyOfAPageAloneSoAFileBesideItIsNotFound() throws Exception {
        Files.writeString(dir.resolve("beside.svg"),
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\"></svg>");
        Path page = write("beside.html", "<!doctype html><html><body><img id=\"beside\" src=\"beside.svg\"></body></html>");

        PageLayout layout = chromium.layout(page, "#beside");

        assertThat(layout.box("#beside").width()).isNotEqualTo(300);
    }

    @Test
    @Timeout(120)
    void killsABrowserThatDoesNotFinishInTimeAndSaysSo() throws Exception {
        Path page = write("loop.html", "<!doctype html><html><body><p>x</p><script>for (;;) {}</script></body></html>");

        assertThatThrownBy(() -> chromium.withTimeout(Duration.ofSeconds(5)).dumpDom(page))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("did not finish " + page + " within 5 s, and was killed")
                .satisfies(failure -> {
                    Matcher profile = Pattern.compile("profile (\\S+)\\)").matcher(failure.getMessage());
                    assertThat(profile.find()).as(failure.getMessage()).isTrue();
                    // Its renderers and crash handler too (all name the run's folder): none spins on.
                    String run = Path.of(profile.group(1)).getParent().toString();
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ProcessHandle.allProcesses()
                            .map(process -> process.info().commandLine().orElse(""))
                            .filter(command -> command.contains(run))).isEmpty());
                });
    }

    @Test
    @Timeout(120)
    void leavesNothingRunningWhenTheTestThreadIsInterrupted() throws Exception {
        Path page = write("loop.html", "<!doctype html><html><body><p>x</p><script>for (;;) {}</script></body></html>");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread test = new Thread(() -> {
            try {
                chromium.dumpDom(page);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        test.start();
        Pattern profile = Pattern.compile("--user-data-dir=(\\S+)/profile");
        String run = await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.current().descendants()
                .map(process -> profile.matcher(process.info().commandLine().orElse("")))
                .filter(Matcher::find).map(found -> found.group(1)).findFirst().orElse(null), Objects::nonNull);

        test.interrupt();
        test.join(Duration.ofSeconds(30));

        assertThat(failure.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("interrupted");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ProcessHandle.allProcesses()
                .map(process -> process.info().commandLine().orElse(""))
                .filter(command -> command.contains(run))).isEmpty());
    }

    @Test
    void failsNamingThePackageWhenThereIsNoChromium() {
        assertThatThrownBy(() -> HeadlessChromium.find(Map.of("PATH", dir.toString()), List.of(dir.resolve("chromium"))))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("chromium is not on PATH")
                .hasMessageContaining("apt-get install --no-install-recommends chromium fonts-dejavu-core");
    }

    @Test
    void failsWhenTheNamedChromiumIsNotThere() {
        String missing = dir.resolve("no-such-chromium").toString();

        assertThatThrownBy(() -> HeadlessChromium.find(Map.of("RICOCHET_CHROMIUM", missing, "PATH", "/usr/bin"), List.of()))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("RICOCHET_CHROMIUM is " + missing + ", which is not an executable file");
    }

    private Path write(String name, String html) throws Exception {
        return Files.writeString(dir.resolve(name), html);
    }
}
