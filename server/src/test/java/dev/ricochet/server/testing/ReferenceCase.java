package dev.ricochet.server.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A reference case of the echo protocol (DESIGN §1): the bytes a client sends, possibly as
 * several sends, and the replies the server owes for each send.
 */
public record ReferenceCase(String name, List<String> sends, List<String> replies) {

    public static final List<ReferenceCase> ALL = List.of(
            single("frames separated by ignored bytes", "^abc$de^abte$f", "bcdbcuf"),
            single("digits and letters", "^ab$^kl$^80$50", "bclm91"),
            single("empty frames only", "^$^$^$$^$$$$foobar^$$", ""),
            new ReferenceCase("frame split across two sends",
                    List.of("xyz^123", "25$^ab0000$abab"), List.of("234", "36bc1111")));

    private static ReferenceCase single(String name, String send, String reply) {
        return new ReferenceCase(name, List.of(send), List.of(reply));
    }

    public byte[] input() {
        return bytes(String.join("", sends));
    }

    public byte[] output() {
        return bytes(String.join("", replies));
    }

    public static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return name;
    }
}
