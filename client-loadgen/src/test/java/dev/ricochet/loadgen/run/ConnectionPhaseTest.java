package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ricochet.loadgen.run.ConnectionDriver.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConnectionPhaseTest {

    @Test
    void aConnectionComesUpAtItsConnectOrAtItsGreeting() {
        assertThat(Phase.CONNECTING.comeUp()).isEqualTo(Phase.UP);
        assertThat(Phase.CONNECTING.awaitGreeting()).isEqualTo(Phase.AWAITING_GREETING);
        assertThat(Phase.AWAITING_GREETING.up()).isFalse();
        assertThat(Phase.AWAITING_GREETING.comeUp()).isEqualTo(Phase.UP);
        assertThat(Phase.UP.up()).isTrue();
    }

    @Test
    void onlyAConnectionUpAndNotYetSendingStartsSending() {
        assertThat(Phase.UP.startSending()).isEqualTo(Phase.SENDING);
        assertThatThrownBy(Phase.AWAITING_GREETING::startSending).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(Phase.SENDING::startSending).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(Phase.FAILED::startSending).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailedConnectionNeverComesUp() {
        assertThatThrownBy(Phase.FAILED_BEFORE_UP::comeUp).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(Phase.GIVEN_UP_BEFORE_UP::comeUp).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailureKeepsWhetherTheConnectionCameUp() {
        assertThat(Phase.AWAITING_GREETING.fail()).isEqualTo(Phase.FAILED_BEFORE_UP);
        assertThat(Phase.CONNECTING.fail()).isEqualTo(Phase.FAILED_BEFORE_UP);
        assertThat(Phase.UP.fail()).isEqualTo(Phase.FAILED);
        assertThat(Phase.SENDING.fail()).isEqualTo(Phase.FAILED);
        assertThat(Phase.FAILED.up()).as("still counted open until its channel closes").isTrue();
    }

    @Test
    void givingUpKeepsWhetherTheConnectionCameUpFailedOrNot() {
        assertThat(Phase.AWAITING_GREETING.giveUp()).isEqualTo(Phase.GIVEN_UP_BEFORE_UP);
        assertThat(Phase.FAILED_BEFORE_UP.giveUp()).isEqualTo(Phase.GIVEN_UP_BEFORE_UP);
        assertThat(Phase.SENDING.giveUp()).isEqualTo(Phase.GIVEN_UP);
        assertThat(Phase.FAILED.giveUp()).isEqualTo(Phase.GIVEN_UP);
    }

    @ParameterizedTest
    @EnumSource(names = {"FAILED_BEFORE_UP", "FAILED", "GIVEN_UP_BEFORE_UP", "GIVEN_UP"})
    void aConnectionThatFailedOrWasGivenUpIsNoLongerLiveAndStaysSoOnAnotherFailure(Phase ended) {
        assertThat(ended.live()).isFalse();
        assertThat(ended.fail()).isEqualTo(ended);
    }

    @ParameterizedTest
    @EnumSource(names = {"GIVEN_UP_BEFORE_UP", "GIVEN_UP"})
    void givingUpIsFinal(Phase givenUp) {
        assertThat(givenUp.givenUp()).isTrue();
        assertThat(givenUp.giveUp()).isEqualTo(givenUp);
    }

    @ParameterizedTest
    @EnumSource(names = {"CONNECTING", "AWAITING_GREETING", "UP", "SENDING"})
    void aConnectionIsLiveUntilItFailsOrIsGivenUp(Phase live) {
        assertThat(live.live()).isTrue();
        assertThat(live.givenUp()).isFalse();
    }
}
