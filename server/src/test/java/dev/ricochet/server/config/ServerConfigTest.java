package dev.ricochet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ricochet.cli.OptionValueException;
import dev.ricochet.server.kind.EngineKind;
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

        assertThat(changed.prime().cacheSize()).isZero();
        assertThat(changed.connections().idleTimeout()).isEqualTo(Duration.ofSeconds(3));
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
        assertThat(LOOPBACK.listeners().bind()).isEqualTo(loopback);
        assertThat(LOOPBACK.listeners().echoPort()).isZero();
        assertThat(LOOPBACK.listeners().primePort()).isZero();
        assertThat(LOOPBACK.admin().bind()).isEqualTo(loopback);
        assertThat(LOOPBACK.admin().port()).isZero();
        assertThat(LOOPBACK.eventLoops().transport()).isEqualTo(TransportKind.NIO);
        assertThat(LOOPBACK.eventLoops().threads()).isEqualTo(2);
        assertThat(LOOPBACK.prime().offloadThreads()).isEqualTo(2);
        assertThat(LOOPBACK.shutdown().delay()).isZero();
        assertThat(LOOPBACK.shutdown().grace()).isEqualTo(Duration.ofSeconds(5));
        ServerConfig defaults = ServerConfig.from(OptionValues.defaults());
        assertThat(LOOPBACK).usingRecursiveComparison()
                .ignoringFields("listeners", "admin.port", "admin.bind", "eventLoops", "prime.offloadThreads", "shutdown")
                .isEqualTo(defaults);
    }
}
