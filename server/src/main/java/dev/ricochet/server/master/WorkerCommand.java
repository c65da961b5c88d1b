package dev.ricochet.server.master;

import dev.ricochet.server.logging.LogFormat;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * How the master starts a worker: the JVM that runs the master (the same binary, JVM options,
 * and jar or class path), with the master's options but for those only the master has, and
 * those it sets for each worker: the reserved ports, SO_REUSEPORT, and an admin port of its
 * own on loopback, in plain HTTP, which the master scrapes. Options the master took from the
 * environment reach the workers the same way: they inherit it.
 */
final class WorkerCommand {

    /** The system property that makes a JVM a worker, its value the worker's index. */
    static final String WORKER_PROPERTY = LogFormat.WORKER_PROPERTY;

    /** Options the master gives each worker itself, or that only the master has. */
    private static final Set<String> SET_BY_THE_MASTER = Set.of("--processes", "--spare-processes", "--echo-port",
            "--prime-port", "--reuse-port", "--admin-port", "--admin-bind", "--admin-tls");
    /**
     * The JVM reads these variables into its arguments, where {@link #jvmOptions} finds them
     * again: left in the workers' environment they would be given twice (two agents).
     */
    private static final List<String> JVM_OPTION_VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS");
    /** Set in the master's environment, they would make every worker a master too (or refuse it). */
    private static final List<String> MASTER_VARIABLES = List.of("RICOCHET_PROCESSES", "RICOCHET_SPARE_PROCESSES");

    private final List<String> java;
    private final List<String> serverOptions;

    /**
     * @param java          the JVM and its options, down to the main class or jar, no worker property
     * @param serverOptions the master's options for its workers, without those the master sets
     */
    WorkerCommand(List<String> java, List<String> serverOptions) {
        this.java = List.copyOf(java);
        this.serverOptions = List.copyOf(serverOptions);
    }

    /**
     * The JVM running this process, and the options of its command line that the workers share.
     *
     * @param mainClass the server's main class, for a JVM started with a class path
     */
    static WorkerCommand ofThisProcess(ParseResult parsed, String mainClass) {
        List<String> java = new ArrayList<>();
        java.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.addAll(jvmOptions());
        java.addAll(launch(mainClass));
        return new WorkerCommand(java, sharedOptions(parsed));
    }

    /**
     * The options given on the command line, as {@code --name=value} (one argument each, so
     * that no value can be taken for an option), but for those the master sets.
     */
    static List<String> sharedOptions(ParseResult parsed) {
        List<String> options = new ArrayList<>();
        for (OptionSpec option : parsed.matchedOptions()) {
            String name = option.longestName();
            if (SET_BY_THE_MASTER.contains(name)) {
                continue;
            }
            // A boolean given alone comes with its implied value: --reuse-port=true.
            option.originalStringValues().forEach(value -> options.add(name + "=" + value));
        }
        return options;
    }

    /**
     * A worker's process, not started: its output piped for the master to forward whole lines,
     * its input piped for the master's commands ({@link WorkerRole}), which ends when the master
     * is gone, even killed; its errors straight to the master's.
     *
     * @param name the worker's index, or {@link WorkerRole#SPARE} for a spare
     */
    ProcessBuilder builder(String name, int echoPort, int primePort, int adminPort) {
        List<String> command = new ArrayList<>();
        command.add(java.getFirst());
        command.add("-D" + WORKER_PROPERTY + "=" + name);
        command.addAll(java.subList(1, java.size()));
        command.addAll(serverOptions);
        command.addAll(List.of("--echo-port=" + echoPort, "--prime-port=" + primePort, "--reuse-port=true",
                "--admin-port=" + adminPort, "--admin-bind=" + Worker.ADMIN_ADDRESS.getHostAddress(),
                "--admin-tls=false"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        forWorker(builder.environment());
        return builder;
    }

    /** The master's environment made a worker's: what would make it a master, or double its JVM options, removed. */
    static void forWorker(Map<String, String> environment) {
        MASTER_VARIABLES.forEach(environment::remove);
        JVM_OPTION_VARIABLES.forEach(environment::remove);
    }

    /** What the JVM was started with before its main class or jar (the launcher's defaults, JAVA_OPTS, -D...). */
    private static List<String> jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> !option.startsWith("-D" + WORKER_PROPERTY + "="))
                .toList();
    }

    /**
     * {@code -jar} when this JVM was started so (the jar's manifest may ask for what only
     * {@code -jar} gives, such as Enable-Native-Access), the class path and main class otherwise.
     */
    private static List<String> launch(String mainClass) {
        String classPath = System.getProperty("java.class.path");
        String command = System.getProperty("sun.java.command", "");
        if (classPath.endsWith(".jar") && (command.equals(classPath) || command.startsWith(classPath + " "))) {
            return List.of("-jar", classPath);
        }
        return List.of("-cp", classPath, mainClass);
    }
}
