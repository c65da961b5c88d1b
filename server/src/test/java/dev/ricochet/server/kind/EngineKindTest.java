package dev.ricochet.server.kind;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EngineKindTest {

    @Test
    void onlyNettyServesOnEventLoopsAndOffloadsPrimesToAPool() {
        assertThat(Arrays.stream(EngineKind.values()).filter(EngineKind::eventLoops)).containsExactly(EngineKind.NETTY);
        assertThat(Arrays.stream(EngineKind.values()).filter(EngineKind::offloadPool)).containsExactly(EngineKind.NETTY);
    }

    @Test
    void onlyTheThreadPoolEngineHasAPoolOfWorkers() {
        assertThat(Arrays.stream(EngineKind.values()).filter(EngineKind::threadPool))
                .containsExactly(EngineKind.THREAD_POOL);
    }
}
