package dev.ricochet.loadgen.run;

/**
 * Paces the connect phase: a budget of connects refilled with the time elapsed, at
 * {@code perSecond}, and never holding more than one second's worth, so that a slow loop
 * catches up at once on what it missed but never bursts beyond that. Owned by one thread.
 */
final class ConnectPacer {

    private final int perSecond;
    private double budget;
    private long lastNanos;

    /**
     * @param perSecond  connects per second at most, {@code >= 1}
     * @param startNanos when the budget starts filling, {@link System#nanoTime()} time; it starts empty
     */
    ConnectPacer(int perSecond, long startNanos) {
        this.perSecond = perSecond;
        this.lastNanos = startNanos;
    }

    /**
     * Refills the budget up to {@code nowNanos} and takes what it allows of {@code wanted}.
     *
     * @return how many connects may start now, at most {@code wanted}
     */
    int take(long nowNanos, int wanted) {
        budget = Math.min(perSecond, budget + (nowNanos - lastNanos) * perSecond / 1e9);
        lastNanos = nowNanos;
        int granted = 0;
        while (granted < wanted && budget >= 1) {
            granted++;
            budget--;
        }
        return granted;
    }
}
