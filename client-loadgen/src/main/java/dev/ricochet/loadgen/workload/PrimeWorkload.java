package dev.ricochet.loadgen.workload;

import java.util.concurrent.ThreadLocalRandom;

/** Prime requests, one line each, drawn from a {@link NumberMix}. */
public final class PrimeWorkload implements Workload {

    private final NumberMix numbers;

    /** @param numbers the requests to draw from, built with their split */
    public PrimeWorkload(NumberMix numbers) {
        this.numbers = numbers;
    }

    @Override
    public byte[] greeting() {
        return new byte[0];
    }

    @Override
    public Request next(long sequence) {
        return numbers.pick(ThreadLocalRandom.current().nextLong());
    }
}
