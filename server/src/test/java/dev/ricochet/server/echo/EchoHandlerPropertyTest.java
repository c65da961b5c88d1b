package dev.ricochet.server.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.testing.CutStream;
import dev.ricochet.server.testing.EchoOracle;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EchoHandlerPropertyTest {

    @Property
    void answersWhatTheOracleSaysHoweverTheStreamIsCut(@ForAll("cutStreams") CutStream stream) {
        assertThat(EchoHandlerTest.decode(stream.reads()))
                .isEqualTo(EchoOracle.expectedReplies(stream.bytes()));
    }

    @Provide
    Arbitrary<CutStream> cutStreams() {
        // Control bytes are made frequent, or random bytes would almost never open a frame.
        Arbitrary<Byte> protocolByte = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of((byte) '^', (byte) '$')),
                net.jqwik.api.Tuple.of(10, Arbitraries.bytes()));
        return protocolByte.array(byte[].class).ofMaxSize(300).flatMap(bytes ->
                Arbitraries.integers().between(0, bytes.length).list().ofMaxSize(12)
                        .map(cuts -> new CutStream(bytes, cuts.stream().sorted().toList())));
    }
}
