package dev.ricochet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.kind.EngineKind;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md's metrics table against the meters themselves: every {@code ricochet_*}
 * meter, those that only exist with an option on (TLS, PROXY protocol, the thread-pool engine)
 * included, has one row, and no row names a meter that does not exist. Sections of their own
 * (TLS, PROXY protocol) describe their meters in prose and point here; the table is the list.
 */
class MetricsTableTest {

    private static final Path OPERATIONS = Path.of("..").toAbsolutePath().normalize().resolve("docs/operations.md");
    private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE (ricochet_\\S+) (\\S+)$");
    private static final Pattern NAME = Pattern.compile("`(ricochet_[a-z_]+)`");

    private final ServerMetrics metrics = ServerMetrics.prometheus();
    /** A master's own meters (--processes), on its page beside its workers'. */
    private final WorkerMetrics master = WorkerMetrics.prometheus(EngineKind.NETTY);
    private final DefaultEventExecutorGroup eventLoops = new DefaultEventExecutorGroup(1);

    @BeforeEach
    void registerEveryMeter() {
        metrics.bindEngine(eventLoops, ByteBufAllocator.DEFAULT, 100, () -> 0, 10);
        metrics.bindThreadPool(() -> 0, () -> 0);
        metrics.tlsHandshakes("echo");
        metrics.bindTls(() -> 0);
        metrics.proxyProtocol("echo");
        master.restarts(0);
        master.scrapeErrors(0);
        master.bindReady(0, () -> true);
        master.bindSpares(() -> 1);
    }

    @AfterEach
    void close() {
        metrics.close();
        master.close();
        eventLoops.shutdownGracefully();
    }

    @Test
    void listsEveryRicochetMeterOnceAndNoOther() throws IOException {
        Set<String> meters = meters();
        assertThat(meters).contains("ricochet_worker_restarts_total", "ricochet_tls_handshakes_total", "ricochet_tls_handshake_duration_seconds",
                "ricochet_tls_certificate_expiry_timestamp_seconds", "ricochet_tls_reloads_total",
                "ricochet_proxy_protocol_refused_total");
        Map<String, Integer> rows = rowsByName();
        Map<String, Integer> notOnce = new TreeMap<>();
        for (String meter : meters) {
            if (rows.getOrDefault(meter, 0) != 1) {
                notOnce.put(meter, rows.getOrDefault(meter, 0));
            }
        }
        assertThat(notOnce).as("meters in %s rows of the metrics table, not 1", OPERATIONS).isEmpty();
        assertThat(new TreeSet<>(rows.keySet())).as("rows of no meter").isSubsetOf(meters);
    }

    /** The Prometheus names of the ricochet_ meters, without the _max gauge Micrometer adds to a timer. */
    private Set<String> meters() {
        Map<String, String> types = new TreeMap<>();
        Matcher m = TYPE.matcher(metrics.scrape(null) + master.scrape());
        while (m.find()) {
            types.put(m.group(1), m.group(2));
        }
        return types.keySet().stream()
                .filter(name -> !(name.endsWith("_max")
                        && "histogram".equals(types.get(name.substring(0, name.length() - "_max".length())))))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** How many rows of the table after "Metrics (Prometheus names" name each ricochet_ metric in their first cell. */
    private static Map<String, Integer> rowsByName() throws IOException {
        List<String> lines = Files.readAllLines(OPERATIONS);
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).startsWith("Metrics (Prometheus names")) {
                start = i + 1;
            }
        }
        assertThat(start).as("the metrics table's heading line in %s", OPERATIONS).isPositive();
        while (start < lines.size() && !lines.get(start).startsWith("|")) {
            start++;
        }
        List<String> rows = new ArrayList<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            rows.add(lines.get(i));
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (String row : rows) {
            String firstCell = row.split("\\|")[1];
            Matcher name = NAME.matcher(firstCell);
            while (name.find()) {
                counts.merge(name.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }
}
