package dev.ricochet.loadgen.workload;

import dev.ricochet.loadgen.oracle.EchoFrames;

/** Echo frames of a fixed payload size, optionally cut into several writes. */
public final class EchoWorkload implements Workload {

    private static final byte[] GREETING = {'*'};

    /** Payloads start at one of 26 letters: 26 requests cover every sequence number. */
    private final Request[] requests = new Request[26];

    /**
     * @param payloadBytes bytes answered per frame, at least 1
     * @param split        writes per frame, at least 1 (exercises the server's state machine
     *                     across reads)
     */
    public EchoWorkload(int payloadBytes, int split) {
        for (int start = 0; start < requests.length; start++) {
            byte[] frame = EchoFrames.frame(payloadBytes, start);
            requests[start] = new Request(cut(frame, split), EchoFrames.expectedReply(frame));
        }
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public byte[] greeting() {
        return GREETING;
    }

    @Override
    public Request next(long sequence) {
        return requests[(int) (sequence % requests.length)];
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
