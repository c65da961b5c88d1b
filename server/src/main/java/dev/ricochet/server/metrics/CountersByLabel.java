package dev.ricochet.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One counter of a protocol per value of a small fixed set (a close reason, a handshake's
 * result), every one registered up front so that each series exists, at 0, from the start: a
 * rate or an alert then sees the first event, and a dashboard shows every label.
 */
final class CountersByLabel {

    private CountersByLabel() {
    }

    /**
     * @param name     the meter's name ({@link MetricNames})
     * @param protocol the {@code protocol} tag's value
     * @param tag      the tag the values go in ({@code reason}, {@code result})
     * @param label    each value's label
     */
    static <E extends Enum<E>> Map<E, Counter> register(MeterRegistry registry, String name, String description,
            String protocol, String tag, Class<E> values, Function<E, String> label) {
        Map<E, Counter> counters = new EnumMap<>(values);
        for (E value : values.getEnumConstants()) {
            counters.put(value, Counter.builder(name).description(description)
                    .tag(MetricNames.TAG_PROTOCOL, protocol).tag(tag, label.apply(value)).register(registry));
        }
        return counters;
    }
}
