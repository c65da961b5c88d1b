package dev.ricochet.loadgen.workload;

/**
 * Opens and holds connections without sending anything: how many can the server keep? What
 * the server sends (an echo greeting, say) is read and ignored.
 */
public final class IdleWorkload implements Workload {

    @Override
    public String name() {
        return "idle";
    }

    @Override
    public byte[] greeting() {
        return new byte[0];
    }

    @Override
    public boolean sendsRequests() {
        return false;
    }

    @Override
    public Request next(long sequence) {
        throw new UnsupportedOperationException("the idle workload sends no requests");
    }
}
