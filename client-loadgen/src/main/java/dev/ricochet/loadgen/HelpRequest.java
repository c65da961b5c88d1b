package dev.ricochet.loadgen;

import java.io.PrintStream;
import picocli.CommandLine;

/** {@code --help} and {@code --version}, answered the same way by each of the load generator's commands. */
public final class HelpRequest {

    private HelpRequest() {
    }

    /** Prints the help or the version when {@code parsed} asks for one; whether it did (the command then ends, 0). */
    public static boolean answered(CommandLine cli, CommandLine.ParseResult parsed, PrintStream out) {
        if (parsed.isUsageHelpRequested()) {
            cli.usage(out);
            return true;
        }
        if (parsed.isVersionHelpRequested()) {
            cli.printVersionHelp(out);
            return true;
        }
        return false;
    }
}
