package dev.ricochet.server.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * PROXY protocol headers written by hand from the specification
 * (https://www.haproxy.org/download/2.6/doc/proxy-protocol.txt), so that the server's decoder
 * is checked against the text and not against Netty's encoder.
 */
public final class ProxyHeaders {

    /** The v2 signature: {@code \r\n\r\n\0\r\nQUIT\n}. */
    public static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {
    }

    /** A v2 PROXY command over TCP, IPv4 or IPv6 after the two addresses' family. */
    public static byte[] v2(InetSocketAddress source, InetSocketAddress destination) {
        byte[] from = source.getAddress().getAddress();
        byte[] to = destination.getAddress().getAddress();
        if (from.length != to.length) {
            throw new IllegalArgumentException("one family for both: " + source + ", " + destination);
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(V2_SIGNATURE);
        header.write(0x21); // version 2, PROXY
        header.write(from.length == 4 ? 0x11 : 0x21); // TCP over IPv4 or IPv6
        int length = 2 * from.length + 4;
        header.write(length >> 8);
        header.write(length);
        header.writeBytes(from);
        header.writeBytes(to);
        writePort(header, source.getPort());
        writePort(header, destination.getPort());
        return header.toByteArray();
    }

    /** A v2 LOCAL command: the proxy's own connection (a health check), no addresses. */
    public static byte[] v2Local() {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(V2_SIGNATURE);
        header.write(0x20); // version 2, LOCAL
        header.write(0x00); // UNSPEC
        header.write(0);
        header.write(0);
        return header.toByteArray();
    }

    /** A v1 (text) header over TCP4. */
    public static byte[] v1(InetSocketAddress source, InetSocketAddress destination) {
        return ("PROXY TCP4 " + source.getAddress().getHostAddress() + " " + destination.getAddress().getHostAddress()
                + " " + source.getPort() + " " + destination.getPort() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void writePort(ByteArrayOutputStream out, int port) {
        out.write(port >> 8);
        out.write(port);
    }

    /** {@code a} then {@code b}, as one write. */
    public static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
