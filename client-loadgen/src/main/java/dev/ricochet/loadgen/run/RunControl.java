package dev.ricochet.loadgen.run;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run's switches and its live connections, shared by every driver. The run goes through
 * three phases: connecting (nothing is sent), loaded (once every first connection attempt
 * has settled: warmup, then measurement), stopping (nothing is sent, reconnected or counted).
 */
final class RunControl {

    private final ChannelGroup channels = new DefaultChannelGroup("loadgen", GlobalEventExecutor.INSTANCE);
    private final Map<EventExecutor, SendClock> clocks = new ConcurrentHashMap<>();
    private final long sendTickNanos;
    private volatile long measureFromNanos;
    private volatile boolean loadStarted;
    private volatile boolean stopping;

    /** @param sendTickNanos the send clocks' tick */
    RunControl(long sendTickNanos) {
        this.sendTickNanos = sendTickNanos;
    }

    void opened(Channel channel) {
        channels.add(channel);
    }

    void closed(Channel channel) {
        channels.remove(channel);
    }

    /** The send clock of an event loop; called on that loop. */
    SendClock clockOf(EventExecutor loop) {
        return clocks.computeIfAbsent(loop, l -> new SendClock(l, sendTickNanos));
    }

    /** Whether the connect phase is over: a connection that is up may send. */
    boolean loadStarted() {
        return loadStarted;
    }

    /**
     * Ends the connect phase. Connections up from now on start at once; the caller starts
     * those already up, on their event loops.
     *
     * @param measureFromNanos when the measurement is to start: the open-loop plans count from it
     */
    void startLoad(long measureFromNanos) {
        this.measureFromNanos = measureFromNanos;
        loadStarted = true;
    }

    /** Once the load has started: when the measurement is to start, which the open-loop plans count from. */
    long measureFromNanos() {
        return measureFromNanos;
    }

    boolean stopping() {
        return stopping;
    }

    /** Stops sending, reconnecting and counting failures: the measurement is over. */
    void stopSending() {
        stopping = true;
    }

    /** Stops sending and closes every connection; replies still in flight are not counted. */
    void stop() {
        stopping = true;
        clocks.values().forEach(SendClock::stop);
        channels.close().awaitUninterruptibly();
    }
}
