package dev.ricochet.server.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server must answer to a whole byte stream, computed without the server's state
 * machine: a frame is '^' followed by everything up to the next '$' (or the end of the
 * stream), found with a regular expression; each of its bytes is answered with byte + 1.
 */
public final class EchoOracle {

    private static final Pattern FRAME = Pattern.compile("\\^([^$]*)");

    private EchoOracle() {
    }

    public static byte[] expectedReplies(byte[] stream) {
        // ISO-8859-1 maps every byte to exactly one char and back.
        Matcher frames = FRAME.matcher(new String(stream, StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        while (frames.find()) {
            for (char c : frames.group(1).toCharArray()) {
                replies.write((c + 1) % 256);
            }
        }
        return replies.toByteArray();
    }
}
