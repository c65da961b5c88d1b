package dev.ricochet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ricochet.cli.OptionValueException;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.prime.PrimeMethod;
import dev.ricochet.server.transport.TransportKind;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    private static final ServerConfig LOOPBACK = ServerConfig.loopback(TransportKind.NIO);

    @Test
    void changesOneConcernAndKeepsTheOthers() {
        ServerConfig changed = LOOPBACK.withPrime(p -> p.withCacheSize(0))
                .withConnections(c -> c.withIdleTimeout(Duration.ofSeconds(3)));

        assertThat(changed.prime()).isEqualTo(new PrimeSettings(PrimeMethod.TRIAL_DIVISION, Duration.ofMillis(20), 2,
                10_000, 0));
        assertThat(changed.connections()).isEqualTo(new ConnectionSettings(0, Duration.ofSeconds(3),
                Duration.ofSeconds(60)));
        assertThat(changed).usingRecursiveComparison().ignoringFields("prime.cacheSize", "connections.idleTimeout")
                .isEqualTo(LOOPBACK);
    }

    @Test
    void replacesTheEngine() {
        EngineSettings pool = new EngineSettings(EngineKind.THREAD_POOL, 8, 0);
        assertThat(LOOPBACK.withEngine(pool).engine()).isEqualTo(pool);
    }

    @Test
    void aSettingsRecordChecksEachValueWithItsOptionsRange() {
        assertThatThrownBy(() -> new EventLoopSettings(TransportKind.AUTO, 0))
                .isInstanceOf(OptionValueException.class)
                .hasMessage("--io-threads: 0 (expected: 1..1024)");
        assertThatThrownBy(() -> LOOPBACK.withPrime(p -> p.withLinger(Duration.ofMinutes(1))))
                .hasMessage("--prime-linger: PT1M (expected: 0s..PT10S)");
    }

    @Test
    void loopbackIsEveryDefaultButItsAddressPortsThreadsAndShutdown() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        assertThat(LOOPBACK.listeners()).isEqualTo(new ListenerSettings(0, 0, loopback));
        assertThat(LOOPBACK.admin()).isEqualTo(new AdminSettings(0, loopback, true));
        assertThat(LOOPBACK.eventLoops()).isEqualTo(new EventLoopSettings(TransportKind.NIO, 2));
        assertThat(LOOPBACK.shutdown()).isEqualTo(new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(5)));
        assertThat(LOOPBACK.prime().offloadThreads()).isEqualTo(2);
        assertThat(LOOPBACK.engine()).isEqualTo(EngineSettings.of(EngineKind.NETTY));
        assertThat(LOOPBACK.connections()).isEqualTo(new ConnectionSettings(0, Duration.ZERO, Duration.ofSeconds(60)));
    }
}
