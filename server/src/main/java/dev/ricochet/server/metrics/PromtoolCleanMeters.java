package dev.ricochet.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Map;

/**
 * Brings the meters of Micrometer's own binders up to Prometheus conventions, so that
 * {@code promtool check metrics} finds nothing to report on the page: descriptions where
 * the Netty binders give none, base units in the names, and no meter whose name breaks a
 * rule (a CPU time in nanoseconds, a gauge ending in {@code _count}).
 */
final class PromtoolCleanMeters implements MeterFilter {

    private record Fix(String baseUnit, String description) {
    }

    private static final Map<String, Fix> FIXES = Map.of(
            "netty.allocator.memory.used", new Fix("bytes", "Memory held by Netty's buffer allocator"),
            "netty.allocator.memory.pinned", new Fix("bytes", "Memory of Netty's allocator pinned by buffers in use"),
            "netty.eventexecutor.tasks.pending", new Fix(null, "Tasks waiting in each event loop's queue"),
            "netty.eventexecutor.workers", new Fix(null, "Event loops in the group"));

    /** Replaced by {@code process.cpu} in seconds, or of no use here. */
    private static final java.util.Set<String> DENIED = java.util.Set.of("process.cpu.time", "system.cpu.count");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return DENIED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        Fix fix = FIXES.get(id.getName());
        if (fix == null) {
            return id;
        }
        String baseUnit = id.getBaseUnit() != null ? id.getBaseUnit() : fix.baseUnit();
        String description = id.getDescription() != null ? id.getDescription() : fix.description();
        return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTags()), baseUnit, description,
                id.getType());
    }
}
