package dev.ricochet.server.config;

import dev.ricochet.cli.DurationText;
import dev.ricochet.cli.Range;
import dev.ricochet.server.kind.EngineKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * One option of {@code ricochet server}, stated once: its name, the values it accepts, its
 * default and its help. The rest follows from these: its environment variable from its name,
 * the end of its help line ({@code Range: 1..1024. Default: 200. Env: RICOCHET_THREADS.}), and
 * the check of its value, which the settings record it fills makes with {@link #require}.
 *
 * <p>A default is either parsed (picocli fills it in, as text) or applied after parsing (a
 * number, or one that depends on the machine). An option of the second kind tells whether it
 * was set at all, which is how an option the engine has no use for is noticed.
 *
 * @param <T> the option's value type
 */
final class ServerOption<T> {

    /** The values every port option accepts; 0 asks the kernel for any free port. */
    private static final Range<Integer> PORTS = Range.between(0, 65535);

    private final String name;
    private final String label;
    private final Value<T> value;
    private final Range<T> range;
    private final String help;
    private final Predicate<EngineKind> usedBy;
    private final String unusedBecause;
    /** The option that turns on what this one tunes, or null when it stands alone. */
    private final ServerOption<?> tunes;

    /**
     * How an option's text becomes a value, and what it is when nothing sets it.
     *
     * @param converter     null for picocli's own (numbers, booleans, text)
     * @param text          the value as the command line takes it
     * @param parsedDefault the default as text, which picocli fills in; null when the default is
     *                      applied after parsing, so that an unset option reads as null
     * @param byDefault     the default value
     * @param shownDefault  the default as the help states it
     */
    private record Value<T>(Class<T> type, ITypeConverter<T> converter, Function<T, String> text,
            String parsedDefault, Supplier<T> byDefault, String shownDefault) {

        static <T> Value<T> applied(Class<T> type, Supplier<T> byDefault, String shownDefault) {
            return new Value<>(type, null, String::valueOf, null, byDefault, shownDefault);
        }

        static <T> Value<T> parsed(Class<T> type, ITypeConverter<T> converter, Function<T, String> text,
                String byDefault, T value) {
            return new Value<>(type, converter, text, byDefault, () -> value, byDefault);
        }
    }

    private ServerOption(String name, String label, Value<T> value, Range<T> range, String help) {
        this(name, label, value, range, help, kind -> true, null, null);
    }

    private ServerOption(String name, String label, Value<T> value, Range<T> range, String help,
            Predicate<EngineKind> usedBy, String unusedBecause, ServerOption<?> tunes) {
        this.name = name;
        this.label = label;
        this.value = value;
        this.range = range;
        this.help = help;
        this.usedBy = usedBy;
        this.unusedBecause = unusedBecause;
        this.tunes = tunes;
    }

    /** A whole number in {@code range}; {@code byDefault} when neither the command line nor the environment sets it. */
    static ServerOption<Integer> number(String name, Range<Integer> range, int byDefault, String help) {
        return number(name, range, () -> byDefault, String.valueOf(byDefault), help);
    }

    /** A whole number whose default depends on the machine, described for the help by {@code shownDefault}. */
    static ServerOption<Integer> number(String name, Range<Integer> range, Supplier<Integer> byDefault,
            String shownDefault, String help) {
        return new ServerOption<>(name, "N", Value.applied(Integer.class, byDefault, shownDefault), range, help);
    }

    /**
     * A whole number in {@code range} that is unset (null) unless given: an option whose
     * absence means something of its own, which no number in the range could stand for.
     */
    static ServerOption<Integer> optionalNumber(String name, Range<Integer> range, String help) {
        return new ServerOption<>(name, "N", Value.applied(Integer.class, () -> null, "none"), range, help);
    }

    /** A port, 0..65535 (0: any free port). */
    static ServerOption<Integer> port(String name, int byDefault, String help) {
        return new ServerOption<>(name, "PORT", Value.applied(Integer.class, () -> byDefault,
                String.valueOf(byDefault)), PORTS, help);
    }

    /** A duration in {@code range}, read by {@link DurationText}. */
    static ServerOption<Duration> duration(String name, Range<Duration> range, String byDefault, String help) {
        DurationText converter = new DurationText();
        return new ServerOption<>(name, "DURATION", Value.parsed(Duration.class, converter, String::valueOf,
                byDefault, converter.convert(byDefault)), range, help);
    }

    /** One of an enum's values, by its command-line {@code cliName}, ignoring case. */
    static <E extends Enum<E>> ServerOption<E> choice(String name, String label, Class<E> type,
            Function<E, String> cliName, String byDefault, String help) {
        E[] values = type.getEnumConstants();
        return new ServerOption<>(name, label, Value.parsed(type, text -> byName(text, values, cliName), cliName,
                byDefault, byName(byDefault, values, cliName)), null, help);
    }

    /** A host name or IP address, resolved by {@link OptionValues#address}. */
    static ServerOption<String> address(String name, String byDefault, String help) {
        return new ServerOption<>(name, "ADDRESS", Value.parsed(String.class, null, String::valueOf, byDefault,
                byDefault), null, help);
    }

    /**
     * A file, unset by default (null): an option that turns something on by naming its file.
     * Whether the file can be read is checked by whoever reads it, with the reason it cannot.
     */
    static ServerOption<Path> file(String name, String help) {
        return new ServerOption<>(name, "FILE", Value.applied(Path.class, () -> null, "none"), null, help);
    }

    /** {@code true} or {@code false}. */
    static ServerOption<Boolean> bool(String name, boolean byDefault, String help) {
        return new ServerOption<>(name, "BOOLEAN", Value.parsed(Boolean.class, null, String::valueOf,
                String.valueOf(byDefault), byDefault), null, help);
    }

    /**
     * The same option, which only the engines {@code usedBy} accepts: set for another one, it
     * is bad usage, {@code because} says why (silently ignoring it would let a user believe it
     * took effect).
     */
    ServerOption<T> onlyFor(Predicate<EngineKind> usedBy, String because) {
        return new ServerOption<>(name, label, value, range, help, usedBy, because, tunes);
    }

    /**
     * The same option, which tunes what {@code enabler} turns on: set while {@code enabler} is
     * not, it is bad usage (it would silently change nothing).
     */
    ServerOption<T> tuning(ServerOption<?> enabler) {
        return new ServerOption<>(name, label, value, range, help, usedBy, unusedBecause, enabler);
    }

    /** The same option, its default shown in the help as {@code shown} (the value and a word on it). */
    ServerOption<T> defaultShownAs(String shown) {
        Value<T> v = value;
        return new ServerOption<>(name, label, new Value<>(v.type, v.converter, v.text, v.parsedDefault,
                v.byDefault, shown), range, help, usedBy, unusedBecause, tunes);
    }

    /** The default of the thread counts that grow with the machine. */
    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    String name() {
        return name;
    }

    /** What the help shows after the name, such as {@code N} or {@code DURATION}. */
    String label() {
        return label;
    }

    /** The environment variable that sets this option: {@code --echo-port} is {@code RICOCHET_ECHO_PORT}. */
    String environmentVariable() {
        return environmentVariable(name);
    }

    static String environmentVariable(String option) {
        return "RICOCHET_" + option.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The default, for settings built without a command line. */
    T byDefault() {
        return value.byDefault.get();
    }

    /**
     * Returns {@code checked} when the option accepts it.
     *
     * @throws dev.ricochet.cli.OptionValueException {@code "--name: value (expected: range)"} otherwise
     */
    T require(T checked) {
        if (checked == null && value.byDefault.get() == null) {
            return null; // an option unset by default (a file, an optional number) left unset
        }
        return range == null ? Objects.requireNonNull(checked, name) : range.require(name, checked);
    }

    /** The option as picocli parses it and shows it in the help. */
    OptionSpec spec() {
        // A boolean may stand alone (--reuse-port) or take its value (--metrics false).
        String arity = value.type == Boolean.class ? "0..1" : "1";
        OptionSpec.Builder builder = OptionSpec.builder(name).paramLabel(label).type(value.type).arity(arity)
                .description(help + (range != null ? " Range: " + range + "." : "")
                        + " Default: " + value.shownDefault + ". Env: " + environmentVariable() + ".");
        if (value.parsedDefault != null) {
            builder.defaultValue(value.parsedDefault);
        }
        if (value.converter != null) {
            builder.converters(value.converter);
        }
        if (value.type.isEnum()) {
            builder.completionCandidates(new Candidates<>(value.type.getEnumConstants(), value.text));
        }
        return builder.build();
    }

    /** The value the command line or the environment gave, or the default. */
    T value(CommandSpec spec) {
        T given = given(spec);
        return given != null ? given : value.byDefault.get();
    }

    /** Whether {@code engine} has a use for this option. */
    boolean appliesTo(EngineKind engine) {
        return usedBy.test(engine);
    }

    /** The option that turns on what this one tunes; null when it stands alone. */
    ServerOption<?> tunes() {
        return tunes;
    }

    /** Why an engine it does not apply to has no use for it. */
    String unusedBecause() {
        return unusedBecause;
    }

    /**
     * The value set on the command line or in the environment, shown as the command line takes
     * it; null when neither set one other than the parsed default.
     */
    String setValue(CommandSpec spec) {
        T given = given(spec);
        boolean set = given != null && (value.parsedDefault == null || !given.equals(value.byDefault.get()));
        return set ? value.text.apply(given) : null;
    }

    private T given(CommandSpec spec) {
        return spec.findOption(name).getValue();
    }

    /** The value whose command-line name is {@code text}, ignoring case. */
    private static <E> E byName(String text, E[] values, Function<E, String> name) {
        for (E value : values) {
            if (name.apply(value).equalsIgnoreCase(text.trim())) {
                return value;
            }
        }
        throw new TypeConversionException("'" + text + "' (expected: one of "
                + Arrays.stream(values).map(name).collect(Collectors.joining(", ")) + ")");
    }

    /** An option's values by their command-line names, for completion. */
    private record Candidates<E>(E[] values, Function<E, String> name) implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values).map(name).iterator();
        }

        @Override
        public String toString() {
            return String.join(", ", this);
        }
    }
}
