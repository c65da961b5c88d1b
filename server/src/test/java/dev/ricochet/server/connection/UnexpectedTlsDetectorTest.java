package dev.ricochet.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plaintext port's check of a client's first bytes, however they are split. */
class UnexpectedTlsDetectorTest {

    /** The header of a TLS 1.2 ClientHello record (TLS 1.3's says 1.0 or 1.2 here too), and a body start. */
    private static final byte[] CLIENT_HELLO = {0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c};

    private final EmbeddedChannel channel = new EmbeddedChannel();

    {
        PortSecurity.PLAINTEXT.addTo(channel.pipeline());
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    private void write(byte... bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private String passed() {
        StringBuilder all = new StringBuilder();
        for (ByteBuf read; (read = channel.readInbound()) != null; ) {
            all.append(read.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
            read.release();
        }
        return all.toString();
    }

    @Test
    void passesAPlaintextClientsFirstByteAtOnceAndLeaves() {
        write((byte) '^');
        assertThat(passed()).isEqualTo("^");
        assertThat(channel.pipeline().get(UnexpectedTlsDetector.NAME)).isNull();
        write((byte) 'a', (byte) 'b');
        assertThat(passed()).isEqualTo("ab");
    }

    @Test
    void closesAClientHelloInOneSegment() {
        write(CLIENT_HELLO);
        assertThat(channel.isOpen()).isFalse();
        assertThat(passed()).isEmpty();
    }

    @Test
    void closesAClientHelloSplitByteByByte() {
        for (byte b : CLIENT_HELLO) {
            if (channel.isOpen()) {
                write(b);
            }
        }
        assertThat(channel.isOpen()).isFalse();
        assertThat(passed()).isEmpty();
    }

    @Test
    void passesAPlaintextStartThatBeginsLikeARecordButIsNot() {
        write((byte) 0x16);
        assertThat(passed()).isEmpty();
        write((byte) '^', (byte) 'a');
        assertThat(passed()).isEqualTo("\u0016^a");
        assertThat(channel.isOpen()).isTrue();
        write((byte) 'b');
        assertThat(passed()).isEqualTo("b");
    }

    @Test
    void passesAHandshakeTypeAndVersionWithAnEmptyRecord() {
        write((byte) 0x16, (byte) 0x03);
        write((byte) 0x01, (byte) 0x00, (byte) 0x00, (byte) '^');
        assertThat(channel.isOpen()).isTrue();
        assertThat(passed()).hasSize(6);
    }
}
