package dev.ricochet.server.config;

import dev.ricochet.cli.OptionValueException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where the settings records take their options' values: a parsed command line (with the
 * environment), or the defaults with a few options changed. Each record reads the options it
 * holds, so a new option is read where it is declared and has its default everywhere else.
 */
abstract class OptionValues {

    /** The value of {@code option}. */
    abstract <T> T value(ServerOption<T> option);

    /** The address {@code option} names, resolved. */
    final InetAddress address(ServerOption<String> option) {
        String address = value(option);
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new OptionValueException(option.name(), address, "an IP address or a resolvable host name");
        }
    }

    /** The values the command line, or else the environment, gave, or the defaults. */
    static OptionValues parsed(CommandSpec spec) {
        return new OptionValues() {
            @Override
            <T> T value(ServerOption<T> option) {
                return option.value(spec);
            }
        };
    }

    /** Every option's default. */
    static Defaults defaults() {
        return new Defaults();
    }

    /** The defaults, but for the options changed with {@link #with}. */
    static final class Defaults extends OptionValues {
        private final Map<ServerOption<?>, Object> changed = new HashMap<>();

        private Defaults() {
        }

        <T> Defaults with(ServerOption<T> option, T value) {
            changed.put(option, value);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked") // with() keeps each value beside an option of its type
        <T> T value(ServerOption<T> option) {
            return changed.containsKey(option) ? (T) changed.get(option) : option.byDefault();
        }
    }
}
