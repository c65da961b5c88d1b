package dev.ricochet.server.config;

import dev.ricochet.cli.DurationText;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.prime.PrimeMethod;
import dev.ricochet.server.transport.TransportKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code ricochet server} command line. Every option may also come from the environment
 * variable named {@code RICOCHET_} plus the option's name in upper case with {@code _} for
 * {@code -} (12-factor, for Kubernetes); the command line wins over the environment.
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

    private static final int DEFAULT_OFFLOAD_QUEUE = 10_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--engine", paramLabel = "KIND", converter = EngineKindConverter.class,
            completionCandidates = EngineKindCandidates.class,
            defaultValue = "${env:RICOCHET_ENGINE:-netty}",
            description = "The concurrency model: netty (event loops and a prime worker pool), sequential (one"
                    + " connection at a time), thread-per-connection, thread-pool (--threads, --pool-queue) or"
                    + " virtual-threads; the blocking ones exist to compare (docs/engines.md)."
                    + " Default: ${DEFAULT-VALUE}. Env: RICOCHET_ENGINE.")
    private EngineKind engine;

    @Option(names = "--threads", paramLabel = "N",
            defaultValue = "${env:RICOCHET_THREADS}",
            description = "thread-pool engine: worker threads, each serving one connection until it closes, 1..100000."
                    + " Default: " + EngineSettings.DEFAULT_THREADS + ". Env: RICOCHET_THREADS.")
    private Integer threads;

    @Option(names = "--pool-queue", paramLabel = "N",
            defaultValue = "${env:RICOCHET_POOL_QUEUE}",
            description = "thread-pool engine: accepted connections that may wait for a free worker, 0..1000000;"
                    + " one more is closed at once and counted (ricochet_thread_pool_refused_total)."
                    + " Default: " + EngineSettings.DEFAULT_QUEUE + ". Env: RICOCHET_POOL_QUEUE.")
    private Integer poolQueue;

    @Option(names = "--echo-port", paramLabel = "PORT",
            defaultValue = "${env:RICOCHET_ECHO_PORT:-9090}",
            description = "Echo protocol port, 0..65535 (0: any free port). Default: ${DEFAULT-VALUE}. Env: RICOCHET_ECHO_PORT.")
    private int echoPort;

    @Option(names = "--prime-port", paramLabel = "PORT",
            defaultValue = "${env:RICOCHET_PRIME_PORT:-8070}",
            description = "Prime protocol port, 0..65535. Default: ${DEFAULT-VALUE}. Env: RICOCHET_PRIME_PORT.")
    private int primePort;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            defaultValue = "${env:RICOCHET_BIND:-0.0.0.0}",
            description = "Address the listeners bind to. Default: ${DEFAULT-VALUE} (every IPv4 interface). Env: RICOCHET_BIND.")
    private String bind;

    @Option(names = "--transport", paramLabel = "KIND", converter = TransportKindConverter.class,
            completionCandidates = TransportKindCandidates.class,
            defaultValue = "${env:RICOCHET_TRANSPORT:-auto}",
            description = "auto, epoll, io_uring or nio. auto takes native epoll when it loads, NIO otherwise;"
                    + " io_uring only when asked for. Default: ${DEFAULT-VALUE}. Env: RICOCHET_TRANSPORT.")
    private TransportKind transport;

    @Option(names = "--io-threads", paramLabel = "N",
            defaultValue = "${env:RICOCHET_IO_THREADS}",
            description = "Event loop threads serving connections, >= 1. Default: the number of CPU cores. Env: RICOCHET_IO_THREADS.")
    private Integer ioThreads;

    @Option(names = "--shutdown-delay", paramLabel = "DURATION", converter = DurationText.class,
            defaultValue = "${env:RICOCHET_SHUTDOWN_DELAY:-2s}",
            description = "On SIGTERM, how long /health/ready answers 503 while the ports still accept, so that load"
                    + " balancers stop sending new clients before the listeners close. Default: ${DEFAULT-VALUE}."
                    + " Env: RICOCHET_SHUTDOWN_DELAY.")
    private Duration shutdownDelay;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", converter = DurationText.class,
            defaultValue = "${env:RICOCHET_SHUTDOWN_GRACE:-30s}",
            description = "Once the listeners are closed, how long open connections may take to finish (echo: the frame"
                    + " under way; prime: every reply owed) before they are closed (500ms, 30s, 2m, PT1M)."
                    + " Default: ${DEFAULT-VALUE}. Env: RICOCHET_SHUTDOWN_GRACE.")
    private Duration shutdownGrace;

    @Option(names = "--prime-method", paramLabel = "METHOD", converter = PrimeMethodConverter.class,
            defaultValue = "${env:RICOCHET_PRIME_METHOD:-trial-division}",
            description = "trial-division (the naive loop to sqrt(n): the CPU-heavy workload) or miller-rabin"
                    + " (deterministic, microseconds). Default: ${DEFAULT-VALUE}. Env: RICOCHET_PRIME_METHOD.")
    private PrimeMethod primeMethod;

    @Option(names = "--prime-linger", paramLabel = "DURATION", converter = DurationText.class,
            defaultValue = "${env:RICOCHET_PRIME_LINGER:-20ms}",
            description = "How long a bare number (no newline) waits for more bytes before it counts as a request;"
                    + " 0s accepts only whole lines. Default: ${DEFAULT-VALUE}. Env: RICOCHET_PRIME_LINGER.")
    private Duration primeLinger;

    @Option(names = "--offload-threads", paramLabel = "N",
            defaultValue = "${env:RICOCHET_OFFLOAD_THREADS}",
            description = "Worker threads computing primes off the event loops. 0 computes on the event loops,"
                    + " which blocks them: for comparisons only. Default: the number of CPU cores."
                    + " Env: RICOCHET_OFFLOAD_THREADS.")
    private Integer offloadThreads;

    @Option(names = "--offload-queue", paramLabel = "N",
            defaultValue = "${env:RICOCHET_OFFLOAD_QUEUE}",
            description = "Prime requests that may wait for a worker; beyond, a request is answered 'error: busy'"
                    + " at once. Default: " + DEFAULT_OFFLOAD_QUEUE + ". Env: RICOCHET_OFFLOAD_QUEUE.")
    private Integer offloadQueue;

    @Option(names = "--prime-cache-size", paramLabel = "N",
            defaultValue = "${env:RICOCHET_PRIME_CACHE_SIZE:-100000}",
            description = "Prime results kept in memory (least recently used evicted); 0 turns the cache off."
                    + " Default: ${DEFAULT-VALUE}. Env: RICOCHET_PRIME_CACHE_SIZE.")
    private int primeCacheSize;

    @Option(names = "--admin-port", paramLabel = "PORT",
            defaultValue = "${env:RICOCHET_ADMIN_PORT:-8080}",
            description = "Admin HTTP port: /metrics, /health/live, /health/ready. Default: ${DEFAULT-VALUE}."
                    + " Env: RICOCHET_ADMIN_PORT.")
    private int adminPort;

    @Option(names = "--admin-bind", paramLabel = "ADDRESS",
            defaultValue = "${env:RICOCHET_ADMIN_BIND:-0.0.0.0}",
            description = "Address the admin HTTP server binds to. Default: ${DEFAULT-VALUE}. Env: RICOCHET_ADMIN_BIND.")
    private String adminBind;

    @Option(names = "--metrics", paramLabel = "BOOLEAN", arity = "1",
            defaultValue = "${env:RICOCHET_METRICS:-true}",
            description = "Record metrics and serve them on /metrics (true or false). Default: ${DEFAULT-VALUE}."
                    + " Env: RICOCHET_METRICS.")
    private boolean metrics;

    @Option(names = "--max-connections", paramLabel = "N",
            defaultValue = "${env:RICOCHET_MAX_CONNECTIONS:-0}",
            description = "Connections allowed at once over both protocols; more are closed on accept."
                    + " 0: no limit but the process's open-file limit. Default: ${DEFAULT-VALUE}."
                    + " Env: RICOCHET_MAX_CONNECTIONS.")
    private int maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationText.class,
            defaultValue = "${env:RICOCHET_IDLE_TIMEOUT:-0s}",
            description = "Close a connection that sent and received nothing for this long; 0s: never."
                    + " Default: ${DEFAULT-VALUE}. Env: RICOCHET_IDLE_TIMEOUT.")
    private Duration idleTimeout;

    @Option(names = "--tcp-keepalive", paramLabel = "DURATION", converter = DurationText.class,
            defaultValue = "${env:RICOCHET_TCP_KEEPALIVE:-60s}",
            description = "Silence after which TCP keepalive probes a connection's peer (then every 10s at most,"
                    + " 6 probes), so that a peer that vanished without FIN or RST is closed; 0s: off."
                    + " Default: ${DEFAULT-VALUE}. Env: RICOCHET_TCP_KEEPALIVE.")
    private Duration tcpKeepalive;

    /** Builds the validated settings; a value out of range is reported as bad usage. */
    public ServerConfig toConfig() {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            refuseOptionsTheEngineHasNot();
            EngineSettings settings = new EngineSettings(engine,
                    threads != null ? threads : EngineSettings.DEFAULT_THREADS,
                    poolQueue != null ? poolQueue : EngineSettings.DEFAULT_QUEUE);
            return new ServerConfig(settings, resolve("--bind", bind), echoPort, primePort, transport,
                    ioThreads != null ? ioThreads : cores, shutdownDelay, shutdownGrace, primeMethod, primeLinger,
                    offloadThreads != null ? offloadThreads : cores,
                    offloadQueue != null ? offloadQueue : DEFAULT_OFFLOAD_QUEUE, primeCacheSize,
                    resolve("--admin-bind", adminBind), adminPort, metrics, maxConnections, idleTimeout, tcpKeepalive);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * An option set (on the command line or in the environment) that the chosen engine has no
     * use for is bad usage: silently ignoring it would let a user believe it took effect.
     */
    private void refuseOptionsTheEngineHasNot() {
        if (engine.blocking()) {
            refuseFor(transport != TransportKind.AUTO, "--transport", transport.cliName(),
                    "blocking sockets, no event-loop transport");
            refuseFor(ioThreads != null, "--io-threads", ioThreads, "no event loops");
            refuseFor(offloadThreads != null, "--offload-threads", offloadThreads,
                    "primes are computed on the connection's own thread");
            refuseFor(offloadQueue != null, "--offload-queue", offloadQueue,
                    "primes are computed on the connection's own thread");
        }
        if (engine != EngineKind.THREAD_POOL) {
            refuseFor(threads != null, "--threads", threads, "only the thread-pool engine has a pool");
            refuseFor(poolQueue != null, "--pool-queue", poolQueue, "only the thread-pool engine has a pool");
        }
    }

    /**
     * The option travels with the exception, so that {@code Main} names its environment
     * variable when the value came from there, as for any other bad value.
     */
    private void refuseFor(boolean given, String option, Object value, String why) {
        if (given) {
            throw new ParameterException(spec.commandLine(), option + ": " + value + " does not apply to --engine "
                    + engine.cliName() + " (" + why + ")", spec.findOption(option), String.valueOf(value));
        }
    }

    private static InetAddress resolve(String option, String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": " + address
                    + " (expected: an IP address or a resolvable host name)");
        }
    }

    /** The environment variable that sets {@code option}: {@code --echo-port} is {@code RICOCHET_ECHO_PORT}. */
    public static String environmentVariable(String option) {
        return "RICOCHET_" + option.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    static final class TransportKindConverter implements ITypeConverter<TransportKind> {
        @Override
        public TransportKind convert(String value) {
            return byName(value, TransportKind.values(), TransportKind::cliName);
        }
    }

    static final class EngineKindConverter implements ITypeConverter<EngineKind> {
        @Override
        public EngineKind convert(String value) {
            return byName(value, EngineKind.values(), EngineKind::cliName);
        }
    }

    static final class EngineKindCandidates extends Candidates<EngineKind> {
        EngineKindCandidates() {
            super(EngineKind.values(), EngineKind::cliName);
        }
    }

    static final class PrimeMethodConverter implements ITypeConverter<PrimeMethod> {
        @Override
        public PrimeMethod convert(String value) {
            return byName(value, PrimeMethod.values(), PrimeMethod::cliName);
        }
    }

    /** The value whose command-line name is {@code text}, ignoring case. */
    private static <T> T byName(String text, T[] values, Function<T, String> name) {
        for (T value : values) {
            if (name.apply(value).equalsIgnoreCase(text.trim())) {
                return value;
            }
        }
        throw new TypeConversionException("'" + text + "' (expected: one of "
                + Arrays.stream(values).map(name).collect(Collectors.joining(", ")) + ")");
    }

    static final class TransportKindCandidates extends Candidates<TransportKind> {
        TransportKindCandidates() {
            super(TransportKind.values(), TransportKind::cliName);
        }
    }

    /** An option's values by their command-line names, for completion and help. */
    private abstract static class Candidates<T> implements Iterable<String> {
        private final T[] values;
        private final Function<T, String> name;

        Candidates(T[] values, Function<T, String> name) {
            this.values = values;
            this.name = name;
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values).map(name).iterator();
        }

        @Override
        public String toString() {
            return String.join(", ", this);
        }
    }

    /** Exposed for tests that build a command line the way {@code Main} does. */
    public static CommandLine newCommandLine(ServerCommand command) {
        return new CommandLine(command);
    }
}
