package dev.ricochet.loadgen.workload;

import java.util.concurrent.ThreadLocalRandom;

/** Prime requests, one line each, drawn from a {@link NumberMix}. */
public final class PrimeWorkload implements Workload {

    private final NumberMix numbers;
    private final int split;

    public PrimeWorkload(NumberMix numbers, int split) {
        this.numbers = numbers;
        this.split = split;
    }

    @Override
    public byte[] greeting() {
        return new byte[0];
    }

    @Override
    public Request next(long sequence) {
        NumberMix.Line line = numbers.pick(ThreadLocalRandom.current().nextLong());
        return new Request(EchoWorkload.cut(line.request(), split), line.expectedReply());
    }
}
