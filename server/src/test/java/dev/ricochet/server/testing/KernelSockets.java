package dev.ricochet.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the Linux kernel says of a loopback TCP socket, read from {@code /proc/net/tcp} and
 * {@code tcp6} (the JDK's sockets are dual-stack, so IPv4 connections may be listed there): the
 * timer it has armed, so that tests see the socket options the server really set.
 */
public final class KernelSockets {

    /** {@code /proc/net/tcp}'s timer kinds ({@code tr}): 0 none, 1 retransmit, 2 keepalive. */
    public static final int TIMER_KEEPALIVE = 2;
    private static final String ESTABLISHED = "01";
    private static final double CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, what the file counts in

    private KernelSockets() {
    }

    /** The timer of the established socket between two local ports, if there is one. */
    public static Optional<Timer> timer(int localPort, int remotePort) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> all = Files.readAllLines(Path.of(table));
            lines.addAll(all.subList(1, all.size())); // below the header
        }
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (port(f[1]) == localPort && port(f[2]) == remotePort && f[3].equals(ESTABLISHED)) {
                String[] timer = f[5].split(":");
                return Optional.of(new Timer(Integer.parseInt(timer[0], 16),
                        Long.parseLong(timer[1], 16) / CLOCK_TICKS_PER_SECOND));
            }
        }
        return Optional.empty();
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1).toUpperCase(Locale.ROOT), 16);
    }

    /**
     * @param kind          0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero window probe
     * @param secondsToFire how long until it fires
     */
    public record Timer(int kind, double secondsToFire) {
    }
}
