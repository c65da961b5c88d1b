package dev.ricochet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Opens an HTML page in a real browser, Debian's {@code chromium} run headless, and gives back
 * what it rendered: the DOM after parsing ({@link #dumpDom}), a screenshot of the first screen
 * ({@link #screenshot}), or where given elements lie on it ({@link #layout}).
 *
 * <p>Every run is cut off from the network: a proxy on a closed loopback port for every URL
 * (loopback included) and a resolver that finds no host. A page that needs something from the
 * network therefore renders visibly broken, and, since each run records Chromium's net log,
 * fails: the run lists what the page asked for. The page is also opened as a copy in an empty
 * directory, so a file it references beside itself is not found either. Each run has a fresh
 * profile, deleted afterwards, and a time limit (60 s unless {@link #withTimeout} says
 * otherwise) after which the browser is killed.
 *
 * <p>A missing browser fails the test, never skips it: CI must not pass without looking at the
 * pages. {@code ./ricochet test} installs it; {@code RICOCHET_CHROMIUM} names another one.
 *
 * <pre>{@code
 * HeadlessChromium chromium = HeadlessChromium.find();
 * SelfContainedPage.assertSelfContained(page);
 * assertThat(chromium.dumpDom(page)).contains("p99");
 * ScreenshotCheck.assertNotBlank(chromium.screenshot(page, dir.resolve("page.png")));
 * chromium.layout(page, "#spectrum", "#timeline").assertVisibleWithoutScrolling();
 * }</pre>
 */
public final class HeadlessChromium {

    /** The screen the reports are meant to fit without scrolling. */
    public static final int SCREEN_WIDTH = 1366;
    public static final int SCREEN_HEIGHT = 768;

    static final String OVERRIDE = "RICOCHET_CHROMIUM";
    static final String MISSING = "install Debian's chromium package and a font (apt-get install --no-install-recommends"
            + " chromium fonts-dejavu-core; ./ricochet test installs them when it can), or set " + OVERRIDE
            + " to a Chromium or Chrome";
    private static final List<Path> USUAL_PLACES = List.of(Path.of("/usr/bin/chromium"));
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** One event of the net log per line; requests a page made carry its origin as initiator. */
    private static final Pattern INITIATOR = Pattern.compile("\"initiator\":\"([^\"]*)\"");
    private static final Pattern URL = Pattern.compile("\"url\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** Chromium's own requests (time, updates, accounts): no page asked for them. */
    private static final String NOT_A_PAGE = "not an origin";
    /** Known noise on a machine without a session bus or GPU; left out of failure messages. */
    private static final Pattern NOISE = Pattern.compile("dbus|unexpected operator|Fontconfig");

    private final Path executable;
    private final Duration timeout;

    private HeadlessChromium(Path executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /**
     * The browser named by {@code RICOCHET_CHROMIUM}, else {@code chromium} on {@code PATH}, else
     * {@code /usr/bin/chromium}; fails the calling test, naming the package to install, when
     * there is none.
     */
    public static HeadlessChromium find() {
        return find(System.getenv(), USUAL_PLACES);
    }

    static HeadlessChromium find(Map<String, String> env, List<Path> usualPlaces) {
        String override = env.get(OVERRIDE);
        if (override != null && !override.isBlank()) {
            Path named = Path.of(override);
            if (!Files.isExecutable(named)) {
                fail(OVERRIDE + " is " + override + ", which is not an executable file: " + MISSING);
            }
            return new HeadlessChromium(named, DEFAULT_TIMEOUT);
        }
        List<Path> candidates = new ArrayList<>();
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "chromium"));
            }
        }
        candidates.addAll(usualPlaces);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return new HeadlessChromium(candidate, DEFAULT_TIMEOUT);
            }
        }
        return fail("chromium is not on PATH nor in " + usualPlaces + ": " + MISSING);
    }

    /** The same browser, given {@code timeout} (more than zero) to load, render and exit in each run. */
    public HeadlessChromium withTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        return new HeadlessChromium(executable, timeout);
    }

    public Path executable() {
        return executable;
    }

    /** The page's DOM once it has loaded (its scripts, if any, have run), as HTML. */
    public String dumpDom(Path html) {
        return run(html, SCREEN_WIDTH, SCREEN_HEIGHT, List.of("--dump-dom"), null);
    }

    /** {@link #screenshot(Path, Path, int, int)} of a 1366x768 screen. */
    public BufferedImage screenshot(Path html, Path png) {
        return screenshot(html, png, SCREEN_WIDTH, SCREEN_HEIGHT);
    }

    /**
     * What a window of {@code width} x {@code height} CSS pixels (scale 1, no scrollbars) shows of
     * the page before any scrolling, written to {@code png} (its folder is created) and read back.
     */
    public BufferedImage screenshot(Path html, Path png, int width, int height) {
        Path target = png.toAbsolutePath();
        try {
            Files.deleteIfExists(target);
            Files.createDirectories(target.getParent());
            run(html, width, height, List.of("--screenshot=" + target), null);
            if (!Files.isRegularFile(target)) {
                fail("chromium exited without writing the screenshot " + target + " of " + html);
            }
            BufferedImage image = ImageIO.read(target.toFile());
            if (image == null || image.getWidth() != width || image.getHeight() != height) {
                fail("the screenshot " + target + " of " + html + " is "
                        + (image == null ? "not a PNG" : image.getWidth() + "x" + image.getHeight())
                        + ", not the " + width + "x" + height + " window asked for");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where the elements matching each CSS selector lie on a 1366x768 screen once the page has
     * loaded, before any scrolling. A script that measures them is added at the end of a copy of
     * the page; the page itself needs no script.
     */
    public PageLayout layout(Path html, String... selectors) {
        try {
            String page = Files.readString(html, StandardCharsets.UTF_8);
            PageLayout layout = PageLayout.parse(run(html, SCREEN_WIDTH, SCREEN_HEIGHT, List.of("--dump-dom"),
                    PageLayout.withMeasuringScript(page, List.of(selectors))), List.of(selectors));
            if (layout.viewportWidth() != SCREEN_WIDTH || layout.viewportHeight() != SCREEN_HEIGHT) {
                fail(executable + " gave " + html + " a " + layout.viewportWidth() + "x" + layout.viewportHeight()
                        + " window instead of " + SCREEN_WIDTH + "x" + SCREEN_HEIGHT + " (another Chromium version?)");
            }
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the browser on a copy of {@code html} (or on {@code replacement}, when given, in its
     * place) and returns what it printed.
     */
    private String run(Path html, int width, int height, List<String> action, String replacement) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("window: " + width + "x" + height + " (expected: both > 0)");
        }
        Path work = null;
        Process browser = null;
        try {
            work = Files.createTempDirectory("ricochet-chromium-");
            Path pageDir = Files.createDirectory(work.resolve("page"));
            Path page = pageDir.resolve(html.getFileName().toString());
            if (replacement == null) {
                Files.copy(html, page);
            } else {
                Files.writeString(page, replacement, StandardCharsets.UTF_8);
            }
            Path netLog = work.resolve("net-log.json");
            Path out = work.resolve("stdout");
            Path err = work.resolve("stderr");
            List<String> command = new ArrayList<>(List.of(executable.toString(),
                    "--headless", "--no-sandbox", "--disable-gpu",
                    // Small /dev/shm in containers crashes it; /tmp serves as well.
                    "--disable-dev-shm-usage",
                    "--user-data-dir=" + work.resolve("profile"),
                    // The new headless mode draws an invisible browser frame (tabs, toolbar) inside
                    // --window-size: a 1366x768 window had a 1366x625 page, though screenshots
                    // were taken at 1366x768. A kiosk window on a screen of that size has no frame,
                    // so the DOM, the layout and the screenshot all see the same viewport.
                    "--kiosk", "--screen-info={" + width + "x" + height + "}",
                    "--window-size=" + width + "," + height, "--force-device-scale-factor=1", "--hide-scrollbars",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--mute-audio",
                    // No network: every URL, loopback's too, goes to a proxy nobody answers.
                    "--proxy-server=127.0.0.1:" + closedLoopbackPort(), "--proxy-bypass-list=<-loopback>",
                    "--host-resolver-rules=MAP * ~NOTFOUND",
                    "--log-net-log=" + netLog));
            command.addAll(action);
            command.add(page.toUri().toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // Its crash reports and caches go in the run's folder too, and leave with it.
            builder.environment().put("HOME", work.toString());
            builder.environment().put("XDG_CONFIG_HOME", work.resolve("config").toString());
            builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
            browser = builder.start();
            if (!browser.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(browser);
                fail(executable + " did not finish " + html + " within " + seconds(timeout) + ", and was killed (profile "
                        + work.resolve("profile") + "); its log ends:\n" + logTail(err));
            }
            if (browser.exitValue() != 0) {
                fail(executable + " exited with " + browser.exitValue() + " on " + html + "; its log ends:\n"
                        + logTail(err));
            }
            List<String> asked = networkRequests(netLog);
            if (!asked.isEmpty()) {
                fail(html + " asked for the network, which a self-contained page never does: "
                        + String.join(", ", asked));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + executable + " rendered " + html, e);
        } finally {
            // Interrupted (a JUnit timeout) or failed to start: nothing of it may run on.
            if (browser != null && browser.isAlive()) {
                kill(browser);
            }
            if (work != null) {
                deleteTree(work);
            }
        }
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    /**
     * The URLs that pages asked for, from Chromium's net log. A file: page's own loads (file:,
     * data:) never reach the net log; Chromium's background requests have no origin.
     */
    static List<String> networkRequests(Path netLog) throws IOException {
        if (!Files.isRegularFile(netLog)) {
            return fail("chromium wrote no net log at " + netLog + ", so what the page fetched is unknown");
        }
        Set<String> urls = new LinkedHashSet<>();
        try (Stream<String> lines = Files.lines(netLog, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                Matcher initiator = INITIATOR.matcher(line);
                Matcher url = URL.matcher(line);
                if (initiator.find() && !initiator.group(1).equals(NOT_A_PAGE) && url.find()) {
                    urls.add(url.group(1));
                }
            });
        }
        return List.copyOf(urls);
    }

    /**
     * A loopback port that was free a moment ago: a proxy there refuses every connection. (A
     * process that took it since would still not be a working proxy to the Internet.)
     */
    private static int closedLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The browser and every process it started (renderers, zygotes, the crash handler). */
    private static void kill(Process browser) {
        List<ProcessHandle> children = browser.descendants().toList();
        browser.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        // Reaped when it is gone; waitFor would throw at once in an interrupted thread.
        browser.onExit().completeOnTimeout(browser, 10, TimeUnit.SECONDS).join();
    }

    private static String logTail(Path err) throws IOException {
        if (!Files.isRegularFile(err)) {
            return "(no log)";
        }
        // Decoded leniently: a crash report may hold bytes that are not UTF-8.
        List<String> lines = new String(Files.readAllBytes(err), StandardCharsets.UTF_8).lines()
                .filter(line -> !NOISE.matcher(line).find()).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A profile file the browser's last process still wrote while we walked: the temp
            // folder is left behind, which is harmless; the test's result is what matters.
        }
    }
}
