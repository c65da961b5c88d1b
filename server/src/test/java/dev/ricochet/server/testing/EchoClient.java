package dev.ricochet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import javax.net.SocketFactory;

/**
 * A blocking echo-protocol client for tests, on a plain JDK socket so that it shares nothing
 * with the server under test. Every read gives up after a generous timeout instead of
 * hanging the build.
 */
public final class EchoClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private final Socket socket;
    private final InputStream in;

    private EchoClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Connects and consumes the greeting, failing if it is not '*'. */
    public static EchoClient connect(InetSocketAddress server) throws IOException {
        EchoClient client = connectWithoutGreeting(server);
        assertThat(client.read(1)).as("greeting").containsExactly('*');
        return client;
    }

    /** Connects with a receive buffer of about {@code bytes}, to read slowly; consumes the greeting. */
    public static EchoClient connectWithSmallReceiveBuffer(InetSocketAddress server, int bytes) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(bytes); // before connect, so that the window is small from the start
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(server, READ_TIMEOUT_MILLIS);
        EchoClient client = new EchoClient(socket);
        assertThat(client.read(1)).as("greeting").containsExactly('*');
        return client;
    }

    /** Connects from {@code local} (a loopback address such as 127.0.0.2, any port); consumes the greeting. */
    public static EchoClient connectFrom(java.net.InetAddress local, InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.bind(new InetSocketAddress(local, 0));
        socket.connect(server, READ_TIMEOUT_MILLIS);
        EchoClient client = new EchoClient(socket);
        assertThat(client.read(1)).as("greeting").containsExactly('*');
        return client;
    }

    /**
     * Connects through {@code sockets} (an {@code SSLSocketFactory} for a TLS port: the handshake
     * happens with the greeting's read) and consumes the greeting.
     */
    public static EchoClient connect(SocketFactory sockets, InetSocketAddress server) throws IOException {
        Socket socket = sockets.createSocket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(server, READ_TIMEOUT_MILLIS);
        EchoClient client = new EchoClient(socket);
        assertThat(client.read(1)).as("greeting").containsExactly('*');
        return client;
    }

    public static EchoClient connectWithoutGreeting(InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(server, READ_TIMEOUT_MILLIS);
        return new EchoClient(socket);
    }

    public EchoClient send(String ascii) throws IOException {
        return send(ReferenceCase.bytes(ascii));
    }

    public EchoClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads exactly {@code n} bytes (fails on timeout or end of stream). */
    public byte[] read(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new IOException("end of stream after " + bytes.length + " of " + n + " bytes: "
                    + Arrays.toString(bytes));
        }
        return bytes;
    }

    /**
     * Plays every {@link ReferenceCase} on this one connection, in turn, checking each reply as
     * it is owed; a {@code $} after each case leaves the next one in WAIT.
     */
    public EchoClient playsEveryReferenceCase() throws IOException {
        for (ReferenceCase c : ReferenceCase.ALL) {
            for (int s = 0; s < c.sends().size(); s++) {
                String expected = c.replies().get(s);
                send(c.sends().get(s));
                assertThat(readAscii(expected.length())).as(c.name()).isEqualTo(expected);
            }
            send("$");
        }
        return this;
    }

    public String readAscii(int n) throws IOException {
        return new String(read(n), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Reads until the server closes the connection. */
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    /** Whether the next read sees the server's end of stream (fails on timeout). */
    public boolean serverClosed() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true; // reset by the server: closed as well
        }
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with a TCP reset instead of a FIN, as a crashed or impatient peer does. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
