package dev.ricochet.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.metrics.ServerMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin port against clients that send too much, too slowly, or too many at once; real sockets. */
class AdminHardeningTest {

    private final ServerMetrics metrics = ServerMetrics.disabled();
    private final Readiness readiness = new Readiness();
    private final List<Socket> sockets = new ArrayList<>();
    private AdminServer admin;

    private AdminServer start(AdminLimits limits) throws Exception {
        readiness.ready();
        admin = AdminServer.start(InetAddress.getLoopbackAddress(), 0, metrics, readiness, limits);
        return admin;
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void answersAnOversizedHeaderWith431AndCloses() throws Exception {
        start(AdminLimits.DEFAULT);
        Socket socket = connect();
        String request = "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100_000)
                + "\r\nConnection: close\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        // Everything up to the end of the stream: the status line, then the server's FIN.
        String response = readToEnd(socket);
        assertThat(response).startsWith("HTTP/1.1 431 ").contains("connection: close");
    }

    @Test
    void answersAnOversizedRequestLineWith414AndCloses() throws Exception {
        start(AdminLimits.DEFAULT);
        Socket socket = connect();
        socket.getOutputStream().write(("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEnd(socket)).startsWith("HTTP/1.1 414 ");
    }

    @Test
    void answersAnOversizedBodyWith413AndCloses() throws Exception {
        // A request timeout far beyond the read timeout: only the 413 may end the connection.
        start(new AdminLimits(8 * 1024, Duration.ofMinutes(5), 64));
        Socket socket = connect();
        socket.getOutputStream().write(("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n"
                + "a".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEnd(socket)).startsWith("HTTP/1.1 413 ").contains("connection: close");
    }

    @Test
    void answersGarbageWith400AndCloses() throws Exception {
        start(AdminLimits.DEFAULT);
        Socket socket = connect();
        socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, '\r', '\n', '\r', '\n'});
        assertThat(readToEnd(socket)).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void closesAConnectionWhoseRequestDoesNotComplete() throws Exception {
        start(new AdminLimits(8 * 1024, Duration.ofMillis(300), 64));
        Socket socket = connect();
        socket.getOutputStream().write("GET /health/live HT".getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEnd(socket)).isEmpty();
    }

    @Test
    void closesAKeptAliveConnectionThatSendsNoFurtherRequest() throws Exception {
        start(new AdminLimits(8 * 1024, Duration.ofMillis(300), 64));
        Socket socket = connect();
        socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEnd(socket)).startsWith("HTTP/1.1 200 ").endsWith("live\n");
    }

    @Test
    void keepsServingAKeptAliveConnectionThatSendsRequestsInTime() throws Exception {
        start(new AdminLimits(8 * 1024, Duration.ofSeconds(30), 64));
        Socket socket = connect();
        for (int i = 0; i < 3; i++) {
            socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(socket)).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void replacesTheOldestConnectionWhenTheLimitIsReached() throws Exception {
        start(new AdminLimits(8 * 1024, Duration.ofMinutes(5), 4));
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket socket = connect();
            socket.getOutputStream().write("GET /he".getBytes(StandardCharsets.US_ASCII));
            slow.add(socket);
        }
        Socket probe = connect();
        probe.getOutputStream().write("GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEnd(probe)).startsWith("HTTP/1.1 200 ");
        assertThat(readToEnd(slow.get(0))).isEmpty();
        Socket next = slow.get(1);
        next.getOutputStream().write("alth/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEnd(next)).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void servesProbesWhileHundredsOfSlowClientsHoldConnections() throws Exception {
        start(new AdminLimits(8 * 1024, Duration.ofMinutes(5), 16));
        for (int i = 0; i < 200; i++) {
            connect().getOutputStream().write("GET /health/re".getBytes(StandardCharsets.US_ASCII));
        }
        for (int i = 0; i < 5; i++) {
            Socket probe = connect();
            probe.getOutputStream().write("GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(probe)).startsWith("HTTP/1.1 200 ");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(admin.address().getAddress(), admin.address().getPort());
        socket.setSoTimeout(20_000); // guards against a hang only
        sockets.add(socket);
        return socket;
    }

    /** Reads until the server closes; a read timeout (the connection stayed open) fails the test. */
    private static String readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) != -1; ) {
            received.write(buffer, 0, n);
        }
        return received.toString(StandardCharsets.US_ASCII);
    }

    /** Reads one small response whose body ends with a newline. */
    private static String readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder received = new StringBuilder();
        while (!(received.indexOf("\r\n\r\n") >= 0 && received.charAt(received.length() - 1) == '\n'
                && received.indexOf("\r\n\r\n") + 4 < received.length())) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            received.append((char) b);
        }
        return received.toString();
    }
}
