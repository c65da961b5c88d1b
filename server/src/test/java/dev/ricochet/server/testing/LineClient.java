package dev.ricochet.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.SocketFactory;

/** A blocking line-oriented client for the prime protocol, on a plain JDK socket. */
public final class LineClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    public LineClient(InetSocketAddress server) throws IOException {
        this(SocketFactory.getDefault(), server);
    }

    /** Connects through {@code sockets}: an {@code SSLSocketFactory} for a TLS port. */
    public LineClient(SocketFactory sockets, InetSocketAddress server) throws IOException {
        socket = sockets.createSocket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(server, 10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
    }

    public LineClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return this;
    }

    /** The next line, without its newline; fails on timeout, null at end of stream. */
    public String readLine() throws IOException {
        return in.readLine();
    }

    /** Whether a reply has already arrived, without waiting. */
    public boolean hasReplyWaiting() throws IOException {
        return in.ready();
    }

    public Socket socket() {
        return socket;
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Aborts with a TCP reset: the server cannot mistake it for a half-close. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
