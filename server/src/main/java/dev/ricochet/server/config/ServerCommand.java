package dev.ricochet.server.config;

import dev.ricochet.cli.OptionValueException;
import dev.ricochet.server.kind.EngineKind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code ricochet server} command line. Its options are the settings records' own
 * ({@link ServerConfig#OPTIONS}). Every option may also come from the environment variable
 * named {@code RICOCHET_} plus the option's name in upper case with {@code _} for {@code -}
 * (12-factor, for Kubernetes); the command line wins over the environment.
 */
@Command(
        name = "ricochet server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Serves the stateful echo protocol and the prime protocol on native epoll event loops"
                + " (NIO fallback), with prime computations offloaded to worker threads.",
        footer = {
                "",
                "Each option can also be set by the environment variable shown with it; the command line wins.",
                "RICOCHET_LOG_LEVEL sets the log level (default INFO).",
                "Exit codes: 0 stopped normally, 1 runtime failure, 2 bad usage."})
public final class ServerCommand {

    private final UnaryOperator<String> environment;

    @Spec
    private CommandSpec spec;

    public ServerCommand() {
        this(System::getenv);
    }

    /** A command line that reads its variables from {@code environment}, for tests. */
    ServerCommand(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /** Builds the validated settings; a value out of range is reported as bad usage. */
    public ServerConfig toConfig() {
        try {
            refuseOptionsTheEngineHasNot();
            return ServerConfig.from(OptionValues.parsed(spec));
        } catch (OptionValueException e) {
            // The option travels with the exception, so that Main names its environment
            // variable when the value came from there.
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, spec.findOption(e.option()),
                    String.valueOf(e.value()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * An option set (on the command line or in the environment) that the chosen engine has no
     * use for, or that tunes something left off, is bad usage: silently ignoring it would let a
     * user believe it took effect.
     */
    private void refuseOptionsTheEngineHasNot() {
        EngineKind engine = EngineSettings.KIND.value(spec);
        for (ServerOption<?> option : ServerConfig.OPTIONS) {
            String value = option.setValue(spec);
            if (value != null && !option.appliesTo(engine)) {
                throw new ParameterException(spec.commandLine(), option.name() + ": " + value
                        + " does not apply to --engine " + engine.cliName() + " (" + option.unusedBecause() + ")",
                        spec.findOption(option.name()), value);
            }
            if (value != null && option.tunes() != null && option.tunes().setValue(spec) == null) {
                throw new ParameterException(spec.commandLine(), option.name() + ": " + value
                        + " (expected: with " + option.tunes().name() + ", which it tunes)",
                        spec.findOption(option.name()), value);
            }
        }
    }

    /** The environment variable that sets {@code option}: {@code --echo-port} is {@code RICOCHET_ECHO_PORT}. */
    public static String environmentVariable(String option) {
        return ServerOption.environmentVariable(option);
    }

    /** Exposed for tests that build a command line the way {@code Main} does. */
    public static CommandLine newCommandLine(ServerCommand command) {
        CommandLine cli = new CommandLine(command);
        CommandSpec spec = cli.getCommandSpec();
        Map<String, ServerOption<?>> options = ServerConfig.OPTIONS.stream()
                .collect(Collectors.toMap(ServerOption::name, Function.identity()));
        // The standard --help and --version stay last, below the settings, as the help always had them.
        List<OptionSpec> standard = List.copyOf(spec.options());
        standard.forEach(spec::remove);
        ServerConfig.OPTIONS.forEach(option -> spec.addOption(option.spec()));
        standard.forEach(spec::addOption);
        spec.defaultValueProvider(arg -> arg instanceof OptionSpec option && options.containsKey(option.longestName())
                ? command.environment.apply(options.get(option.longestName()).environmentVariable()) : null);
        return cli;
    }
}
