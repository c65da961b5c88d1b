package dev.ricochet.server.echo;

/**
 * The echo protocol's per-connection state machine (docs/protocol.md), free of any I/O type
 * so that every engine and every test drives the same rules.
 *
 * <p>Feed it the bytes a client sends, in order; for each one it says which byte to answer,
 * or {@link #NO_REPLY}. One instance per connection, confined to one thread.
 */
public final class EchoStateMachine {

    /** The byte the server sends once, as soon as it accepts a connection. */
    public static final byte GREETING = '*';

    /** Returned by {@link #accept(int)} when the byte is not answered. */
    public static final int NO_REPLY = -1;

    private static final int FRAME_START = '^';
    private static final int FRAME_END = '$';

    private boolean inFrame;
    private long framesOpened;

    /**
     * Moves the machine by one received byte.
     *
     * @param b the received byte, as an unsigned value (0 to 255)
     * @return the byte to send back (0 to 255), or {@link #NO_REPLY}
     */
    public int accept(int b) {
        if (!inFrame) {
            // WAIT: the client has not opened a frame, so nothing it says is for us, except
            // the byte that opens one.
            if (b == FRAME_START) {
                inFrame = true;
                framesOpened++;
            }
            return NO_REPLY;
        }
        if (b == FRAME_END) {
            // IN: the frame is over; its terminator is a signal, not data, so it gets no answer.
            inFrame = false;
            return NO_REPLY;
        }
        // IN: every other byte is data, '^' included, and is answered at once (no waiting for
        // '$': replies are streamed). 0xFF wraps to 0x00.
        return (b + 1) & 0xFF;
    }

    /**
     * Moves the machine by a run of received bytes and writes the answers, in order, to
     * {@code replies}. The two arrays may be the same, with {@code replyOffset <= offset}:
     * a byte's answer never lands after the byte itself, so answering in place is safe.
     *
     * @return how many answer bytes were written, 0 to {@code length}
     */
    public int accept(byte[] received, int offset, int length, byte[] replies, int replyOffset) {
        int written = replyOffset;
        for (int i = offset, end = offset + length; i < end; i++) {
            int reply = accept(received[i] & 0xFF);
            if (reply != NO_REPLY) {
                replies[written++] = (byte) reply;
            }
        }
        return written - replyOffset;
    }

    /** How many frames this connection has opened so far. */
    public long framesOpened() {
        return framesOpened;
    }

    /** Whether a frame is open, i.e. the next data byte will be answered. */
    public boolean inFrame() {
        return inFrame;
    }
}
