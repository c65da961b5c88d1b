package dev.ricochet.loadgen;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this machine lets one load generator hold the connections asked for, checked before
 * the run so that a limit gives one clear line, not thousands of failed connects: each
 * connection takes an open file, and an ephemeral port of its local address (the arithmetic
 * for 10k, 100k and 1M connections is in docs/loadgen.md).
 */
final class ConnectionBudget {

    /** Descriptors the JVM and Netty hold besides the connections (jars, epoll, event fds). */
    static final int OWN_FILES = 100;
    private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private ConnectionBudget() {
    }

    /**
     * @param maxFiles this process's open-file limit, or -1 when unknown
     * @param ports    ephemeral ports per local address, or -1 when unknown
     * @return what stands in the way, if anything
     */
    static Optional<String> problem(int connections, int sourceAddresses, long maxFiles, int ports) {
        if (maxFiles >= 0 && connections + OWN_FILES > maxFiles) {
            // The JVM raises its soft limit to the hard one at startup, so the hard one is what counts.
            return Optional.of("--connections " + connections + " needs about " + (connections + OWN_FILES)
                    + " open files, but this process may open " + maxFiles
                    + " (raise the hard limit: ulimit -Hn, or LimitNOFILE under systemd)");
        }
        int addresses = Math.max(1, sourceAddresses);
        long perAddress = (connections + addresses - 1L) / addresses;
        if (ports > 0 && perAddress > ports) {
            long needed = (connections + ports - 1L) / ports;
            return Optional.of("--connections " + connections + " over " + addresses + " local address(es) needs "
                    + perAddress + " ports on each, but the ephemeral range (net.ipv4.ip_local_port_range) has "
                    + ports + "; spread them over at least " + needed + " IPv4 addresses with --source-addresses"
                    + " (on loopback, 127.0.0.1-" + loopbackAddress(needed) + "), or widen the range");
        }
        return Optional.empty();
    }

    /** The {@code n}th address of 127.0.0.0/8, counting 127.0.0.1 as the first. */
    static String loopbackAddress(long n) {
        return "127." + (n >> 16 & 0xFF) + "." + (n >> 8 & 0xFF) + "." + (n & 0xFF);
    }

    /** This process's open-file limit, or -1 where the JVM cannot tell. */
    static long maxOpenFiles() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : -1;
    }

    /** How many ephemeral ports a local address has (Linux), or -1 where that cannot be read. */
    static int ephemeralPorts() {
        // One read with a large buffer: a sysctl file ends at the first short read (readString
        // reads a "0-byte" /proc file a byte at a time and gets only its first character).
        try (BufferedReader reader = Files.newBufferedReader(PORT_RANGE)) {
            String[] range = reader.readLine().trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
