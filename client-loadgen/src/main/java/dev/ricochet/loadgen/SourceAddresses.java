package dev.ricochet.loadgen;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code --source-addresses}: IPv4 addresses and ranges separated by commas, such as
 * {@code 127.0.0.1-127.0.0.8,127.0.1.1}. Each local address has its own ephemeral ports, so
 * N addresses allow about N times 28,000 connections to one server port.
 */
final class SourceAddresses {

    private static final int MAX_ADDRESSES = 65_536;

    private SourceAddresses() {
    }

    static List<InetAddress> parse(String text) {
        List<InetAddress> all = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return all;
        }
        for (String part : text.split(",")) {
            String[] range = part.trim().split("-");
            if (range.length > 2) {
                throw invalid(text, "'" + part + "' has more than one '-'");
            }
            long first = ipv4(text, range[0]);
            long last = range.length == 2 ? ipv4(text, range[1]) : first;
            if (last < first) {
                throw invalid(text, "range '" + part + "' ends before it starts");
            }
            if (all.size() + (last - first + 1) > MAX_ADDRESSES) {
                throw invalid(text, "more than " + MAX_ADDRESSES + " addresses");
            }
            for (long a = first; a <= last; a++) {
                all.add(toAddress(a));
            }
        }
        return all;
    }

    private static long ipv4(String text, String literal) {
        String trimmed = literal.trim();
        if (!trimmed.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw invalid(text, "'" + trimmed + "' is not an IPv4 address");
        }
        try {
            byte[] b = InetAddress.getByName(trimmed).getAddress();
            return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
        } catch (UnknownHostException e) {
            throw invalid(text, "'" + trimmed + "' is not an IPv4 address");
        }
    }

    private static InetAddress toAddress(long a) {
        try {
            return Inet4Address.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("--source-addresses: '" + text + "': " + reason
                + " (expected: IPv4 addresses or ranges like 127.0.0.1-127.0.0.8, separated by commas)");
    }
}
