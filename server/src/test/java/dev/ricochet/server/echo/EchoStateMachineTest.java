package dev.ricochet.server.echo;

import static dev.ricochet.server.echo.EchoStateMachine.NO_REPLY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoStateMachineTest {

    private final EchoStateMachine machine = new EchoStateMachine();

    @Test
    void ignoresEveryByteBeforeAFrameOpens() {
        for (int b = 0; b < 256; b++) {
            if (b != '^') {
                assertThat(machine.accept(b)).as("byte %d", b).isEqualTo(NO_REPLY);
                assertThat(machine.inFrame()).isFalse();
            }
        }
    }

    @Test
    void doesNotAnswerTheByteThatOpensAFrame() {
        assertThat(machine.accept('^')).isEqualTo(NO_REPLY);
        assertThat(machine.inFrame()).isTrue();
    }

    @Test
    void answersEachByteInAFrameWithTheNextByte() {
        machine.accept('^');
        assertThat(machine.accept('a')).isEqualTo('b');
        assertThat(machine.accept('0')).isEqualTo('1');
    }

    @Test
    void answersAnotherFrameStartInsideAFrameAsData() {
        machine.accept('^');
        assertThat(machine.accept('^')).isEqualTo('_');
        assertThat(machine.inFrame()).isTrue();
    }

    @Test
    void wrapsByte0xFFTo0x00() {
        machine.accept('^');
        assertThat(machine.accept(0xFF)).isZero();
    }

    @Test
    void closesTheFrameOnDollarWithoutAnsweringIt() {
        machine.accept('^');
        assertThat(machine.accept('$')).isEqualTo(NO_REPLY);
        assertThat(machine.inFrame()).isFalse();
        assertThat(machine.accept('a')).isEqualTo(NO_REPLY);
    }

    @Test
    void answersARunOfBytesInPlace() {
        byte[] bytes = "xy^ab$c^z".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int answered = machine.accept(bytes, 0, bytes.length, bytes, 0);
        assertThat(new String(bytes, 0, answered, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("bc{");
        assertThat(machine.inFrame()).isTrue();
    }
}
