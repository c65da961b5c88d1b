package dev.ricochet.loadgen.workload;

import java.nio.charset.StandardCharsets;

/** Prime requests, one line each, drawn from a {@link NumberMix}. */
public final class PrimeWorkload implements Workload {

    /** What the server answers when its offload queue is full. */
    private static final byte[] BUSY = "error: busy\n".getBytes(StandardCharsets.US_ASCII);

    private final NumberMix numbers;

    /** @param numbers the requests to draw from, built with their split */
    public PrimeWorkload(NumberMix numbers) {
        this.numbers = numbers;
    }

    /** SplitMix64's finaliser: spreads consecutive inputs over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String name() {
        return "prime";
    }

    @Override
    public byte[] greeting() {
        return new byte[0];
    }

    /** Replies start with 'p' or 'c'; busy starts with 'e'. */
    @Override
    public byte[] shedReply() {
        return BUSY.clone();
    }

    @Override
    public Request next(long sequence) {
        // A fixed mix of the sequence number: the same seed draws the same numbers in the same order.
        return numbers.pick(mix(sequence * 0x9E3779B97F4A7C15L + numbers.seed()));
    }
}
