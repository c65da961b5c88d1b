package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.config.EngineSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.transport.TransportKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class EnginesTest {

    private static ServerConfig config(EngineKind kind, TransportKind transport) {
        return ServerConfig.loopback(transport).withEngine(EngineSettings.of(kind));
    }

    private static Engine start(ServerConfig config) throws Exception {
        return Engines.start(config, ServerMetrics.disabled());
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void startsTheEngineEachKindNames(EngineKind kind) throws Exception {
        try (Engine engine = start(config(kind, TransportKind.AUTO))) {
            assertThat(engine.description()).startsWith(kind.cliName() + " ");
            assertThat(engine.echoAddress().getPort()).isPositive();
            assertThat(engine.primeAddress().getPort()).isPositive();
        }
    }

    @Test
    void describesTheEventLoopEngineByItsTransportThreadsAndTls() throws Exception {
        try (Engine engine = start(config(EngineKind.NETTY, TransportKind.NIO))) {
            assertThat(engine.description())
                    .isEqualTo("netty on transport nio (requested), 2 I/O thread(s), 2 offload thread(s), plaintext");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SEQUENTIAL            | sequential (one connection at a time), plaintext
            THREAD_PER_CONNECTION | thread-per-connection (a platform thread each), plaintext
            THREAD_POOL           | thread-pool (200 worker(s), 100 connection(s) may wait), plaintext
            VIRTUAL_THREADS       | virtual-threads (a virtual thread each), plaintext
            """)
    void describesEachBlockingEngineByHowItsConnectionsMeetThreads(EngineKind kind, String description)
            throws Exception {
        try (Engine engine = start(config(kind, TransportKind.AUTO))) {
            assertThat(engine.description()).isEqualTo(description);
            assertThat(engine.startupWarnings()).isEmpty();
        }
    }

    @Test
    void warnsAtStartWhenPrimesAreComputedOnTheEventLoops() throws Exception {
        try (Engine offloaded = start(config(EngineKind.NETTY, TransportKind.NIO));
                Engine inline = start(config(EngineKind.NETTY, TransportKind.NIO)
                        .withPrime(p -> p.withOffloadThreads(0).withOffloadQueue(100).withCacheSize(0)))) {
            assertThat(offloaded.startupWarnings()).isEmpty();
            assertThat(inline.startupWarnings()).containsExactly(
                    "--offload-threads 0: prime requests are computed on the event loops and block them;"
                            + " use this only to compare against the offloaded setup");
        }
    }
}
