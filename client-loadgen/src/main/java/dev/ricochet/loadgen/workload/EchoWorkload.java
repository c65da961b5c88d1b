package dev.ricochet.loadgen.workload;

import dev.ricochet.loadgen.oracle.EchoFrames;

/** Echo frames of a fixed payload size, optionally cut into several writes. */
public final class EchoWorkload implements Workload {

    private static final byte[] GREETING = {'*'};

    private final int payloadBytes;
    private final int split;

    /**
     * @param payloadBytes bytes answered per frame, at least 1
     * @param split        writes per frame, at least 1 (exercises the server's state machine
     *                     across reads)
     */
    public EchoWorkload(int payloadBytes, int split) {
        this.payloadBytes = payloadBytes;
        this.split = split;
    }

    @Override
    public byte[] greeting() {
        return GREETING;
    }

    @Override
    public Request next(long sequence) {
        byte[] frame = EchoFrames.frame(payloadBytes, sequence);
        return new Request(cut(frame, split), EchoFrames.expectedReply(frame));
    }

    static byte[][] cut(byte[] bytes, int pieces) {
        int n = Math.min(pieces, bytes.length);
        byte[][] writes = new byte[n][];
        for (int i = 0, from = 0; i < n; i++) {
            int to = (int) ((long) bytes.length * (i + 1) / n);
            writes[i] = java.util.Arrays.copyOfRange(bytes, from, to);
            from = to;
        }
        return writes;
    }
}
