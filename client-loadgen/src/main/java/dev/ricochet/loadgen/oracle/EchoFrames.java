package dev.ricochet.loadgen.oracle;

/**
 * Echo frames the load generator sends, and the replies the protocol owes for them. The
 * payload never holds '$' (it would end the frame) and starts at a different letter for
 * each request, so that replies that come back in the wrong order or from the wrong
 * request do not match.
 */
public final class EchoFrames {

    private EchoFrames() {
    }

    /** '^', then {@code payloadLength} letters starting at {@code seed}, then '$'. */
    public static byte[] frame(int payloadLength, long seed) {
        byte[] frame = new byte[payloadLength + 2];
        frame[0] = '^';
        for (int i = 0; i < payloadLength; i++) {
            frame[i + 1] = (byte) ('a' + (int) ((seed + i) % 26));
        }
        frame[payloadLength + 1] = '$';
        return frame;
    }

    /** What the server answers to {@link #frame}: each payload byte plus one, nothing for '^' and '$'. */
    public static byte[] expectedReply(byte[] frame) {
        byte[] reply = new byte[frame.length - 2];
        for (int i = 0; i < reply.length; i++) {
            reply[i] = (byte) (frame[i + 1] + 1);
        }
        return reply;
    }
}
