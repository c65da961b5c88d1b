package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {

    @Test
    void interleavesTheShardsSlotsInTheRun() {
        LoadSpec.Shard second = new LoadSpec.Shard(1, 3, 10, 0);
        assertThat(second.connections()).isEqualTo(3);
        assertThat(IntStream.range(0, 3).map(second::runSlot)).containsExactly(1, 4, 7);
        assertThat(new LoadSpec.Shard(0, 3, 10, 0).connections()).as("the first shard takes the remainder").isEqualTo(4);
    }

    @Test
    void aRunInOneProcessKeepsItsSeedAndItsPlans() {
        LoadSpec.Shard whole = LoadSpec.Shard.whole(7, 350);
        assertThat(whole.split()).isFalse();
        assertThat(whole.seed(42)).isEqualTo(42);
        assertThat(whole.rate()).isEqualTo(350);
        for (int slot = 0; slot < 7; slot++) {
            assertThat(whole.runSlot(slot)).isEqualTo(slot);
        }
    }

    @Test
    void givesEachShardItsOwnSeed() {
        assertThat(IntStream.range(0, 4).mapToObj(i -> new LoadSpec.Shard(i, 4, 8, 0).seed(1)))
                .containsExactly(1L, 2L, 3L, 4L);
    }
}
