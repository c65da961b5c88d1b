package dev.ricochet.server.prime;

import static dev.ricochet.server.prime.PrimeRequests.number;
import static dev.ricochet.server.prime.PrimeRequests.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimeLineFramerTest {

    private static final String SIXTY_FOUR = "0".repeat(64);

    private final PrimeLineFramer framer = new PrimeLineFramer(true);

    /** Feeds {@code text} in one call and returns the requests it completed. */
    private List<PrimeRequest> feed(String text) {
        return feed(framer, text);
    }

    private static List<PrimeRequest> feed(PrimeLineFramer to, String text) {
        List<PrimeRequest> out = new ArrayList<>();
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        to.feed(bytes, 0, bytes.length, out);
        return out;
    }

    @Test
    void readsOneRequestPerLineWithOrWithoutCarriageReturn() {
        assertThat(feed("7\n11\r\n13\n")).containsExactly(number(7), number(11), number(13));
    }

    @Test
    void framesTheSameRequestsWhereverTheStreamIsCut() {
        String stream = "7\n11\r\n\n\r\n9a\n" + SIXTY_FOUR + "\r\n1000000007\n13";
        List<PrimeRequest> expected = List.of(number(7), number(11), rejected(PrimeReply.EMPTY),
                rejected(PrimeReply.EMPTY), rejected(PrimeReply.NOT_A_NUMBER), rejected(PrimeReply.OUT_OF_RANGE),
                number(1_000_000_007L), number(13));
        for (int first = 0; first <= stream.length(); first++) {
            for (int second = first; second <= stream.length(); second++) {
                PrimeLineFramer cut = new PrimeLineFramer(true);
                List<PrimeRequest> requests = new ArrayList<>();
                requests.addAll(feed(cut, stream.substring(0, first)));
                requests.addAll(feed(cut, stream.substring(first, second)));
                requests.addAll(feed(cut, stream.substring(second)));
                requests.add(cut.endOfStream());
                assertThat(requests).as("cut after %d and %d bytes", first, second).isEqualTo(expected);
            }
        }
    }

    @Test
    void rejectsEmptyLinesAndKeepsReading() {
        assertThat(feed("\n\r\n7\n"))
                .containsExactly(rejected(PrimeReply.EMPTY), rejected(PrimeReply.EMPTY), number(7));
    }

    @Test
    void acceptsSixtyFourBytesOfContentWithEitherTerminator() {
        assertThat(feed(SIXTY_FOUR + "\n" + SIXTY_FOUR + "\r\n"))
                .containsExactly(rejected(PrimeReply.OUT_OF_RANGE), rejected(PrimeReply.OUT_OF_RANGE));
    }

    @Test
    void waitsForTheNewlineAfterSixtyFourBytesAndACarriageReturn() {
        assertThat(feed(SIXTY_FOUR + "\r")).isEmpty();
        assertThat(feed("\n7\n")).containsExactly(rejected(PrimeReply.OUT_OF_RANGE), number(7));
    }

    @Test
    void rejectsSixtyFiveBytesOfContentBeforeTheirNewlineArrives() {
        assertThat(feed("1".repeat(40))).isEmpty();
        assertThat(feed("1".repeat(25))).containsExactly(rejected(PrimeReply.LINE_TOO_LONG));
        assertThat(framer.discarding()).isTrue();
    }

    @Test
    void rejectsSixtyFiveBytesOfContentEndedByCarriageReturnAndNewline() {
        assertThat(feed("1".repeat(65) + "\r\n")).containsExactly(rejected(PrimeReply.LINE_TOO_LONG));
    }

    @Test
    void rejectsACarriageReturnAfterSixtyFourBytesWhenNoNewlineFollowsIt() {
        assertThat(feed(SIXTY_FOUR + "\r")).isEmpty();
        assertThat(feed("\r")).containsExactly(rejected(PrimeReply.LINE_TOO_LONG));
    }

    @Test
    void discardsEverythingAfterALineTooLong() {
        assertThat(feed("1".repeat(65) + "\n7\n")).containsExactly(rejected(PrimeReply.LINE_TOO_LONG));
        assertThat(feed("11\n13")).isEmpty();
        assertThat(framer.endOfStream()).isNull();
    }

    @Test
    void completesABareNumberOnlyOnAConnectionThatNeverSentANewline() {
        feed("97");
        assertThat(framer.holdsBareNumber()).isTrue();
        assertThat(framer.completeBareNumber()).isEqualTo(number(97));

        feed("5\n10");
        assertThat(framer.holdsBareNumber()).isFalse();
        assertThat(framer.completeBareNumber()).isNull();
        assertThat(feed("1\n")).containsExactly(number(101));
    }

    @Test
    void completesBareNumbersOneAfterAnotherForAClientThatNeverSendsANewline() {
        List<PrimeRequest> requests = new ArrayList<>();
        for (String bare : new String[] {"97", "100", "13"}) {
            requests.addAll(feed(bare));
            requests.add(framer.completeBareNumber());
        }
        assertThat(requests).containsExactly(number(97), number(100), number(13));
    }

    @Test
    void holdsNoBareNumberWhenTheLingerIsOff() {
        PrimeLineFramer strict = new PrimeLineFramer(false);
        feed(strict, "97");
        assertThat(strict.holdsBareNumber()).isFalse();
        assertThat(strict.completeBareNumber()).isNull();
        assertThat(feed(strict, "\n")).containsExactly(number(97));
    }

    @Test
    void holdsNoBareNumberWhenTheHeldBytesAreNotAllDigits() {
        feed("9a");
        assertThat(framer.holdsBareNumber()).isFalse();
        assertThat(framer.completeBareNumber()).isNull();
        assertThat(feed("\n")).containsExactly(rejected(PrimeReply.NOT_A_NUMBER));
    }

    @Test
    void holdsNoBareNumberWhenNothingIsHeld() {
        assertThat(framer.holdsBareNumber()).isFalse();
        assertThat(framer.completeBareNumber()).isNull();
    }

    @Test
    void takesALateNewlineAsTheTerminatorOfACompletedBareNumber() {
        feed("97");
        framer.completeBareNumber();
        assertThat(feed("\n5\n")).containsExactly(number(5));
    }

    @Test
    void takesALateCarriageReturnAndNewlineAsTheTerminatorOfACompletedBareNumber() {
        feed("97");
        framer.completeBareNumber();
        assertThat(feed("\r\n5\n")).containsExactly(number(5));
    }

    @Test
    void waitsForTheByteAfterALateCarriageReturnToDecideWhatItIs() {
        feed("97");
        framer.completeBareNumber();
        assertThat(feed("\r")).isEmpty();
        assertThat(framer.holdsBareNumber()).isFalse();
        assertThat(feed("\n5\n")).containsExactly(number(5));
    }

    @Test
    void keepsALateCarriageReturnFollowedByAnythingButNewlineAsContent() {
        feed("97");
        framer.completeBareNumber();
        feed("\r");
        assertThat(feed("5\n")).containsExactly(rejected(PrimeReply.NOT_A_NUMBER));
    }

    @Test
    void takesOnlyOneLateNewlineAsTheTerminator() {
        feed("97");
        framer.completeBareNumber();
        assertThat(feed("\n\n")).containsExactly(rejected(PrimeReply.EMPTY));
    }

    @Test
    void takesNoLateNewlineAfterABareNumberThatWasNotCompleted() {
        assertThat(feed("5\n\n")).containsExactly(number(5), rejected(PrimeReply.EMPTY));
    }

    @Test
    void answersTheUnterminatedLineAtEndOfStreamWithoutItsCarriageReturn() {
        feed("7\n13\r");
        assertThat(framer.endOfStream()).isEqualTo(number(13));
        assertThat(framer.endOfStream()).isNull();
    }

    @Test
    void answersNothingAtEndOfStreamAfterACompleteLine() {
        feed("7\n");
        assertThat(framer.endOfStream()).isNull();
    }

    @Test
    void answersSixtyFourBytesAndACarriageReturnAtEndOfStream() {
        feed(SIXTY_FOUR + "\r");
        assertThat(framer.endOfStream()).isEqualTo(rejected(PrimeReply.OUT_OF_RANGE));
    }

    @Test
    void discardsTheHeldLineAndEverythingAfterOnceToldTo() {
        feed("7\n13");
        framer.discardFromNowOn();
        assertThat(framer.discarding()).isTrue();
        assertThat(framer.holdsBareNumber()).isFalse();
        assertThat(feed("\n11\n")).isEmpty();
        assertThat(framer.endOfStream()).isNull();
    }

    @Test
    void readsOnlyTheGivenRangeOfTheArray() {
        byte[] bytes = "99\n7\n11\n99".getBytes(StandardCharsets.ISO_8859_1);
        List<PrimeRequest> out = new ArrayList<>();
        framer.feed(bytes, 3, 5, out);
        assertThat(out).containsExactly(number(7), number(11));
    }

    @Test
    void refusesARangeOutsideTheArray() {
        assertThatThrownBy(() -> framer.feed(new byte[4], 2, 3, new ArrayList<>()))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
