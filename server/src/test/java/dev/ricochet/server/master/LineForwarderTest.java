package dev.ricochet.server.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineForwarderTest {

    /** Records each write it gets, to see what was written in one piece. */
    private static final class Writes extends OutputStream {
        private final List<String> writes = new ArrayList<>();

        @Override
        public void write(int b) {
            writes.add(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }
    }

    /** Gives what it holds a few bytes per read, cutting lines anywhere, as a pipe may. */
    private static InputStream inPieces(String text, int piece) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, piece), bytes.length - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    @Test
    void writesOnlyWholeLinesWhateverPiecesTheyArriveIn() {
        String lines = "{\"message\":\"first\"}\n{\"message\":\"second, longer than a piece\"}\n{\"m\":3}\n";
        Writes out = new Writes();
        LineForwarder.copy(inPieces(lines, 7), out);
        assertThat(String.join("", out.writes)).isEqualTo(lines);
        assertThat(out.writes).allSatisfy(write -> assertThat(write).endsWith("\n"));
    }

    @Test
    void keepsALineLongerThanItsFirstBufferWhole() {
        String stackTrace = "x".repeat(100_000) + "\n";
        Writes out = new Writes();
        LineForwarder.copy(inPieces(stackTrace, 4096), out);
        assertThat(out.writes).containsExactly(stackTrace);
    }

    @Test
    void passesOnALastLineWithoutItsNewlineWhenTheWorkerEnds() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineForwarder.copy(new ByteArrayInputStream("whole\ncut off".getBytes(StandardCharsets.UTF_8)), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("whole\ncut off");
    }
}
