package dev.ricochet.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Drops the {@code id} label Micrometer's {@code NettyAllocatorMetrics} puts on every
 * {@code netty_allocator_*} series. Its value is the allocator's identity hash code, which
 * changes from one start of the server to the next (with the options, the JDK, the order in
 * which threads happen to start): each restart would begin new series, and a query joining
 * or comparing runs would find none in common. The server binds one allocator, which
 * {@code allocator_type} already names, so the label tells nothing apart. Other meters'
 * {@code id} labels ({@code jvm_buffer_*}, {@code jvm_memory_*}: a pool's name) are stable
 * and stay.
 */
final class StableAllocatorLabels implements MeterFilter {

    private static final String ALLOCATOR_METERS = "netty.allocator.";
    private static final String ID = "id";

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(ALLOCATOR_METERS) || id.getTag(ID) == null) {
            return id;
        }
        return id.replaceTags(id.getTags().stream().filter(tag -> !tag.getKey().equals(ID)).toList());
    }
}
