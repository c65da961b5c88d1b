package dev.ricochet.server.master;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The master's GET to a worker's admin port on loopback: HTTP/1.0, so that the worker closes
 * the connection after its response and the body ends there. A connection per request: a
 * replaced worker listens on the same port, where a pooled connection would be a dead one.
 */
final class LoopbackHttp {

    /** A metrics page is tens of KiB; a page beyond this is not one. */
    private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    /** A response: its status code and body. */
    record Response(int status, String body) {
    }

    private LoopbackHttp() {
    }

    /**
     * @param timeout for the connect, and for each read
     * @throws IOException when the worker does not answer (not listening yet, gone, too slow)
     *                     or the answer is no HTTP response
     */
    static Response get(InetSocketAddress worker, String path, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            int millis = (int) timeout.toMillis();
            socket.connect(worker, millis);
            socket.setSoTimeout(millis);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        for (int n; (n = in.read(chunk)) != -1; ) {
            response.write(chunk, 0, n);
            if (response.size() > MAX_RESPONSE_BYTES) {
                throw new IOException("response over " + MAX_RESPONSE_BYTES + " bytes");
            }
        }
        return response.toByteArray();
    }

    static Response parse(byte[] response) throws IOException {
        String text = new String(response, StandardCharsets.UTF_8);
        int headersEnd = text.indexOf("\r\n\r\n");
        // "HTTP/1.1 200 OK": the code is the second word of the status line.
        if (headersEnd < 0 || !text.startsWith("HTTP/1.") || text.length() < 12) {
            throw new IOException("not an HTTP response");
        }
        try {
            return new Response(Integer.parseInt(text.substring(9, 12)), text.substring(headersEnd + 4));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + text.substring(0, Math.min(text.length(), 40)));
        }
    }
}
