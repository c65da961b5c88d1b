package dev.ricochet.server.prime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.CutStream;
import dev.ricochet.server.testing.PrimeOracle;
import dev.ricochet.server.testing.TestGuards;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The prime pipeline (decoder and ordering, computed inline), and the framer alone, against
 * {@link PrimeOracle}, for random line-framed streams cut into reads at random points, then
 * half-closed.
 */
class PrimeRequestDecoderPropertyTest {

    @Property
    void answersWhatTheOracleSaysHoweverTheStreamIsCut(@ForAll("cutStreams") CutStream stream) {
        assertThat(replies(stream.reads())).isEqualTo(PrimeOracle.expectedReplies(stream.bytes()));
    }

    @Property
    void framerAnswersWhatTheOracleSaysHoweverTheStreamIsCut(@ForAll("cutStreams") CutStream stream) {
        assertThat(framedReplies(stream.reads())).isEqualTo(PrimeOracle.expectedReplies(stream.bytes()));
    }

    /**
     * Feeds the reads to a bare {@link PrimeLineFramer}, ends the stream, and answers its
     * requests in order: the framing rules alone, as every engine uses them.
     */
    private static String framedReplies(List<byte[]> reads) {
        PrimeLineFramer framer = new PrimeLineFramer(false);
        List<PrimeRequest> requests = new ArrayList<>();
        for (byte[] read : reads) {
            framer.feed(read, 0, read.length, requests);
        }
        requests.add(framer.endOfStream());
        StringBuilder all = new StringBuilder();
        for (PrimeRequest request : requests) {
            if (request != null) {
                PrimeReply reply = request.rejection() != null ? request.rejection()
                        : PrimeReply.of(MillerRabin.isPrime(request.number()));
                all.append(reply.text());
            }
        }
        return all.toString();
    }

    /** Feeds the reads to a fresh pipeline, half-closes, and returns everything it wrote. */
    static String replies(List<byte[]> reads) {
        EmbeddedChannel channel = new EmbeddedChannel(new PrimeChannelInitializer(TestGuards.unlimited(),
                new PrimeService(PrimeMethod.MILLER_RABIN, 0, null, ServerMetrics.disabled().primeService()),
                Duration.ZERO));
        try {
            for (byte[] read : reads) {
                if (!channel.isOpen()) {
                    break; // closed after a long line: the rest is never read
                }
                // Direct, from Netty's allocator, as a socket read is.
                channel.writeInbound(ByteBufAllocator.DEFAULT.directBuffer(read.length).writeBytes(read));
            }
            if (channel.isOpen()) {
                channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
            channel.runPendingTasks();
            StringBuilder all = new StringBuilder();
            for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
                all.append(buf.toString(StandardCharsets.ISO_8859_1));
                buf.release();
            }
            return all.toString();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Provide
    Arbitrary<CutStream> cutStreams() {
        return line().list().ofMaxSize(12).map(lines -> String.join("", lines).getBytes(StandardCharsets.ISO_8859_1))
                .flatMap(bytes -> Arbitraries.integers().between(0, bytes.length).list().ofMaxSize(10)
                        .map(cuts -> new CutStream(bytes, cuts.stream().sorted().toList())));
    }

    /** A line as clients send them, right or wrong, with its terminator (or none, at the end). */
    private static Arbitrary<String> line() {
        Arbitrary<String> number = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, 10_000_000).map(String::valueOf)),
                Tuple.of(3, Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf)),
                Tuple.of(1, Arbitraries.strings().numeric().ofMinLength(18).ofMaxLength(21)),
                Tuple.of(1, Arbitraries.strings().numeric().ofMinLength(60).ofMaxLength(70)));
        Arbitrary<String> garbage = Arbitraries.strings().withChars("0123456789 +-xa\r\u0000\u00ff").ofMaxLength(8);
        Arbitrary<String> content = Arbitraries.frequencyOf(Tuple.of(6, number), Tuple.of(2, garbage),
                Tuple.of(1, Arbitraries.just("")));
        Arbitrary<String> terminator = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("\n")),
                Tuple.of(3, Arbitraries.just("\r\n")), Tuple.of(1, Arbitraries.just("")));
        return content.flatMap(c -> terminator.map(t -> c + t));
    }
}
