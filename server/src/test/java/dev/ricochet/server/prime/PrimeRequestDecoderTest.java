package dev.ricochet.server.prime;

import static dev.ricochet.server.prime.PrimeRequests.number;
import static dev.ricochet.server.prime.PrimeRequests.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PrimeRequestDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new PrimeRequestDecoder(Duration.ofMillis(20)));

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private List<PrimeRequest> requests() {
        return requests(channel);
    }

    private static List<PrimeRequest> requests(EmbeddedChannel from) {
        List<PrimeRequest> all = new ArrayList<>();
        for (PrimeRequest r; (r = from.readInbound()) != null; ) {
            all.add(r);
        }
        return all;
    }

    @Test
    void readsOneRequestPerLineWithOrWithoutCarriageReturn() {
        send("7\n11\r\n13\n");
        assertThat(requests()).containsExactly(number(7), number(11), number(13));
    }

    @Test
    void readsLinesSplitAcrossReads() {
        send("12");
        send("3\r");
        send("\n4");
        send("5\n");
        assertThat(requests()).containsExactly(number(123), number(45));
    }

    @Test
    void readsEveryLineOfADirectBufferLargerThanOneCopiedChunk() {
        int lines = 5_000; // 30,000 bytes: lines straddle the 8 KiB chunks the decoder copies
        ByteBuf read = Unpooled.directBuffer();
        read.writeCharSequence("12345\n".repeat(lines), StandardCharsets.US_ASCII);
        channel.writeInbound(read);
        assertThat(requests()).hasSize(lines).containsOnly(number(12345));
    }

    @Test
    void answersABareNumberOnceNothingFollowsItForTheLinger() {
        send("97");
        assertThat(requests()).isEmpty();
        channel.advanceTimeBy(20, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(requests()).containsExactly(number(97));
    }

    @Test
    void restartsTheLingerWhenMoreDigitsArrive() {
        send("9");
        channel.advanceTimeBy(15, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        send("7");
        channel.advanceTimeBy(15, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(requests()).isEmpty();
        channel.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(requests()).containsExactly(number(97));
    }

    @Test
    void takesANewlineArrivingAfterTheLingerAsTheBareNumbersTerminator() {
        send("97");
        channel.advanceTimeBy(20, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        send("\r\n5\n");
        assertThat(requests()).containsExactly(number(97), number(5));
    }

    @Test
    void doesNotLingerOnSomethingThatIsNotANumber() {
        send("9a");
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(requests()).isEmpty();
        send("\n");
        assertThat(requests()).containsExactly(rejected(PrimeReply.NOT_A_NUMBER));
    }

    @Test
    void waitsForTheNewlineWhenLingerIsOff() {
        EmbeddedChannel strict = new EmbeddedChannel(new PrimeRequestDecoder(Duration.ZERO));
        strict.writeInbound(Unpooled.copiedBuffer("97", StandardCharsets.US_ASCII));
        strict.advanceTimeBy(1, TimeUnit.SECONDS);
        strict.runScheduledPendingTasks();
        assertThat(strict.<Object>readInbound()).isNull();
        strict.writeInbound(Unpooled.copiedBuffer("\n", StandardCharsets.US_ASCII));
        assertThat(strict.<PrimeRequest>readInbound()).isEqualTo(number(97));
        assertThat(strict.finish()).isFalse();
    }

    @Test
    void rejectsEmptyLinesAndKeepsReading() {
        send("\n\r\n7\n");
        assertThat(requests()).containsExactly(rejected(PrimeReply.EMPTY), rejected(PrimeReply.EMPTY), number(7));
    }

    @Test
    void acceptsALineOfExactlySixtyFourBytes() {
        send("0".repeat(64) + "\n");
        assertThat(requests()).containsExactly(rejected(PrimeReply.OUT_OF_RANGE));
    }

    @Test
    void rejectsALineLongerThanSixtyFourBytesAndReadsNothingAfterIt() {
        send("1".repeat(65) + "\n7\n");
        send("11\n");
        assertThat(requests()).containsExactly(rejected(PrimeReply.LINE_TOO_LONG));
    }

    @Test
    void rejectsAnOverlongLineBeforeItsNewlineArrives() {
        send("x".repeat(40));
        assertThat(requests()).isEmpty();
        send("x".repeat(40));
        assertThat(requests()).containsExactly(rejected(PrimeReply.LINE_TOO_LONG));
    }

    @Test
    void answersAnUnterminatedLastLineWhenTheClientCloses() {
        send("7\n13");
        assertThat(channel.finish()).isTrue();
        assertThat(requests()).containsExactly(number(7), number(13));
    }

    @Test
    void neverSplitsANumberOfALineFramedConnectionAcrossADelayedSegment() {
        String stream = "7\n1000000007\n13\n";
        for (int split = 0; split <= stream.length(); split++) {
            EmbeddedChannel connection = new EmbeddedChannel(new PrimeRequestDecoder(Duration.ofMillis(20)));
            connection.writeInbound(Unpooled.copiedBuffer(stream.substring(0, split), StandardCharsets.US_ASCII));
            // The second segment arrives long after the linger: a retransmit, Nagle, a pause.
            connection.advanceTimeBy(1, TimeUnit.SECONDS);
            connection.runScheduledPendingTasks();
            connection.writeInbound(Unpooled.copiedBuffer(stream.substring(split), StandardCharsets.US_ASCII));
            assertThat(requests(connection)).as("split after %d bytes", split)
                    .containsExactly(number(7), number(1_000_000_007L), number(13));
            assertThat(connection.finish()).isFalse();
        }
    }

    @Test
    void aLateNewlineAfterABareNumberMakesTheConnectionLineFramed() {
        send("97");
        channel.advanceTimeBy(20, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        send("\n10");
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        send("1\n");
        assertThat(requests()).containsExactly(number(97), number(101));
    }

    @Test
    void keepsLingeringForAClientThatNeverSendsANewline() {
        for (String bare : new String[] {"97", "100", "13"}) {
            send(bare);
            channel.advanceTimeBy(20, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        assertThat(requests()).containsExactly(number(97), number(100), number(13));
    }
}
