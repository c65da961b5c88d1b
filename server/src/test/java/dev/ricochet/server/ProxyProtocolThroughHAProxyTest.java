package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.Http;
import dev.ricochet.server.testing.ReferenceCase;
import dev.ricochet.server.testing.ServerProcess;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --proxy-protocol} behind a real HAProxy ({@code send-proxy-v2}), as a load balancer
 * runs in front of it: the server, a separate process at DEBUG, sees the client's address and
 * not the proxy's. Needs Debian's {@code haproxy} package ({@code ./ricochet test} installs it
 * when it is missing). HAProxy runs in the foreground on free loopback ports, and is stopped at
 * the end.
 */
class ProxyProtocolThroughHAProxyTest {

    /** The client's own loopback address, so that it cannot be mistaken for HAProxy's (127.0.0.1). */
    private static final InetAddress CLIENT = loopback("127.0.0.2");

    @TempDir
    Path work;

    private ServerProcess server;
    private Process haproxy;

    @AfterEach
    void stop() throws InterruptedException {
        if (haproxy != null) {
            haproxy.destroy();
            if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                haproxy.destroyForcibly();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersThroughHAProxyAndLogsTheClientsAddressNotTheProxys() throws Exception {
        server = ServerProcess.start(List.of(), List.of("--proxy-protocol"), Map.of("RICOCHET_LOG_LEVEL", "DEBUG"));
        InetSocketAddress echo = server.port(ServerProcess.ECHO);
        InetSocketAddress prime = server.port(ServerProcess.PRIME);
        InetSocketAddress admin = server.port(ServerProcess.ADMIN);
        InetSocketAddress echoFront = freeLoopbackPort();
        InetSocketAddress primeFront = freeLoopbackPort();
        startHAProxy("""
                global
                    maxconn 100
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend echo
                    bind %s
                    default_backend echo
                backend echo
                    # Health checks send a LOCAL header (check-send-proxy), every 200 ms.
                    server ricochet %s send-proxy-v2 check check-send-proxy inter 200ms
                frontend prime
                    bind %s
                    default_backend prime
                backend prime
                    server ricochet %s send-proxy-v2
                """.formatted(hostPort(echoFront), hostPort(echo), hostPort(primeFront), hostPort(prime)), echoFront);

        try (EchoClient client = EchoClient.connectFrom(CLIENT, echoFront)) {
            client.playsEveryReferenceCase();
            String clientAddress = client.socket().getLocalSocketAddress().toString();
            assertThat(clientAddress).startsWith("/127.0.0.2:");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(server.stdoutLines())
                    .as(server.output()).anyMatch(line -> line.contains("DEBUG")
                            && line.contains("Connection " + clientAddress + " through proxy /127.0.0.1:")
                            && line.endsWith("PROXY protocol V2 PROXY header")));
        }
        try (Socket client = connectFrom(CLIENT, primeFront)) {
            OutputStream out = client.getOutputStream();
            out.write("7\n8\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readLines(client.getInputStream(), 2)).isEqualTo("prime\ncomposite\n");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(server.stdoutLines())
                .as("HAProxy's health checks").anyMatch(line -> line.endsWith("PROXY protocol V2 LOCAL header")));

        // Straight to the server, around the proxy: refused, nothing sent, counted.
        try (EchoClient direct = EchoClient.connectWithoutGreeting(echo)) {
            direct.send("^abc$");
            assertThat(direct.readToEnd()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Http.get(admin, "/metrics").body())
                .containsPattern("ricochet_proxy_protocol_refused_total\\{[^}]*protocol=\"echo\",reason=\"invalid\"\\} 1"));
        assertThat(server.stop()).isZero();
    }

    private void startHAProxy(String config, InetSocketAddress front) throws Exception {
        Path file = work.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Path log = work.resolve("haproxy.log");
        haproxy = new ProcessBuilder(binary("haproxy"), "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Listening once a connection to its frontend is accepted (and at once closed); refused
        // until then, which untilAsserted would otherwise take for the answer at the first poll.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
            assertThat(haproxy.isAlive()).as("haproxy exited: %s", Files.readString(log)).isTrue();
            try (Socket probe = new Socket()) {
                probe.connect(front, 1000);
            }
        });
    }

    private static Socket connectFrom(InetAddress local, InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(20_000);
        socket.bind(new InetSocketAddress(local, 0));
        socket.connect(server, 10_000);
        return socket;
    }

    /** {@code n} lines, each with its newline. */
    private static String readLines(InputStream in, int n) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int seen = 0; seen < n; ) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream after " + lines);
            }
            lines.append((char) b);
            seen += b == '\n' ? 1 : 0;
        }
        return lines.toString();
    }

    private static InetSocketAddress freeLoopbackPort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), free.getLocalPort());
        }
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static InetAddress loopback(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String binary(String name) {
        // Debian installs it in /usr/sbin, which a user's PATH may lack.
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin")
                .split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return fail(name + " is not on PATH: install Debian's haproxy package (./ricochet test installs it when it can)");
    }
}
