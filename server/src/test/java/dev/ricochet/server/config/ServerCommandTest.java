package dev.ricochet.server.config;

import dev.ricochet.cli.DurationText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.kind.TlsProvider;
import dev.ricochet.server.logging.LogFormat;
import dev.ricochet.server.prime.PrimeMethod;
import dev.ricochet.server.transport.TransportKind;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

class ServerCommandTest {

    private static ServerConfig parse(String... args) {
        return parse(Map.of(), args);
    }

    private static ServerConfig parse(Map<String, String> environment, String... args) {
        ServerCommand command = new ServerCommand(environment::get);
        ServerCommand.newCommandLine(command).parseArgs(args);
        return command.toConfig();
    }

    @Test
    void takesEveryOptionFromTheCommandLine() throws Exception {
        ServerConfig config = parse("--echo-port", "7000", "--prime-port", "7001", "--bind", "127.0.0.1",
                "--transport", "io_uring", "--io-threads", "3", "--shutdown-delay", "4s", "--shutdown-grace", "1500ms",
                "--prime-method", "miller-rabin", "--prime-linger", "5ms", "--offload-threads", "0",
                "--offload-queue", "7", "--prime-cache-size", "0", "--admin-port", "7002", "--admin-bind", "127.0.0.2",
                "--metrics", "false", "--max-connections", "500", "--idle-timeout", "2m", "--tcp-keepalive", "90s",
                "--reuse-port", "--proxy-protocol", "--proxy-protocol-timeout", "750ms", "--log-format", "json");
        assertThat(config).isEqualTo(new ServerConfig(EngineSettings.of(EngineKind.NETTY), ProcessSettings.single(),
                new ListenerSettings(7000, 7001, InetAddress.getByName("127.0.0.1"), true,
                        new ProxyProtocolSettings(true, Duration.ofMillis(750))),
                new EventLoopSettings(TransportKind.IO_URING, 3),
                new ShutdownSettings(Duration.ofSeconds(4), Duration.ofMillis(1500)),
                new PrimeSettings(PrimeMethod.MILLER_RABIN, Duration.ofMillis(5), 0, 7, 0),
                new AdminSettings(7002, InetAddress.getByName("127.0.0.2"), false),
                new ConnectionSettings(500, Duration.ofMinutes(2), Duration.ofSeconds(90)),
                TlsSettings.plaintext(), new LoggingSettings(LogFormat.JSON)));
    }

    @Test
    void defaultsToPort9090OnEveryInterfaceWithOneIoThreadPerCore() {
        ServerConfig config = parse();
        assertThat(config.listeners().echoPort()).isEqualTo(9090);
        assertThat(config.listeners().bind().isAnyLocalAddress()).isTrue();
        assertThat(config.eventLoops().transport()).isEqualTo(TransportKind.AUTO);
        assertThat(config.eventLoops().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.shutdown().delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.shutdown().grace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.connections().tcpKeepalive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.listeners().primePort()).isEqualTo(8070);
        assertThat(config.prime().method()).isEqualTo(PrimeMethod.TRIAL_DIVISION);
        assertThat(config.prime().linger()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.prime().offloadThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.prime().offloadQueue()).isEqualTo(10_000);
        assertThat(config.prime().cacheSize()).isEqualTo(100_000);
        assertThat(config.admin().port()).isEqualTo(8080);
        assertThat(config.admin().bind().isAnyLocalAddress()).isTrue();
        assertThat(config.admin().metrics()).isTrue();
        assertThat(config.connections().max()).isZero();
        assertThat(config.connections().idleTimeout()).isZero();
        assertThat(config.engine()).isEqualTo(new EngineSettings(EngineKind.NETTY, 200, 100));
        assertThat(config.logging().format()).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void servesInThisProcessUnlessProcessesIsSet() {
        assertThat(parse().processes()).isEqualTo(ProcessSettings.single());
        assertThat(parse().processes().master()).isFalse();
        assertThat(parse("--processes", "4", "--engine", "sequential").processes()).isEqualTo(new ProcessSettings(4, 0));
        assertThat(parse("--processes", "2", "--spare-processes", "1").processes()).isEqualTo(new ProcessSettings(2, 1));
        assertThat(parse(Map.of("RICOCHET_PROCESSES", "2")).processes().workers()).isEqualTo(2);
    }

    @Test
    void takesTheThreadPoolsSizes() {
        assertThat(parse("--engine=thread-pool", "--threads=8", "--pool-queue=0").engine())
                .isEqualTo(new EngineSettings(EngineKind.THREAD_POOL, 8, 0));
    }

    @Test
    void takesTheTlsOptions() {
        TlsSettings tls = parse("--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-client-ca", "ca.pem",
                "--tls-provider", "jdk", "--tls-handshake-timeout", "2s", "--tls-reload-interval", "0s",
                "--admin-tls").tls();
        assertThat(tls).isEqualTo(new TlsSettings(Path.of("c.pem"), Path.of("k.pem"), Path.of("ca.pem"),
                TlsProvider.JDK, Duration.ofSeconds(2), Duration.ZERO, true));
        assertThat(parse().tls()).isEqualTo(TlsSettings.plaintext());
        assertThat(parse().tls().handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "thread-per-connection", "thread-pool", "virtual-threads"})
    void takesTheTlsOptionsForEveryBlockingEngine(String engine) {
        TlsSettings tls = parse("--engine", engine, "--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-client-ca",
                "ca.pem", "--tls-handshake-timeout", "2s", "--tls-reload-interval", "5s", "--admin-tls").tls();
        assertThat(tls).isEqualTo(new TlsSettings(Path.of("c.pem"), Path.of("k.pem"), Path.of("ca.pem"),
                TlsProvider.AUTO, Duration.ofSeconds(2), Duration.ofSeconds(5), true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--engine=virtual-threads | --transport=epoll | --transport: epoll does not apply to --engine virtual-threads",
            "--engine=sequential      | --io-threads=2    | --io-threads: 2 does not apply to --engine sequential",
            "--engine=thread-pool     | --offload-threads=4 | --offload-threads: 4 does not apply to --engine thread-pool",
            "--engine=thread-per-connection | --offload-queue=5 | --offload-queue: 5 does not apply to --engine thread-per-connection",
            "--engine=netty           | --threads=4       | --threads: 4 does not apply to --engine netty",
            "--engine=virtual-threads | --pool-queue=4    | --pool-queue: 4 does not apply to --engine virtual-threads",
            "--engine=sequential      | --proxy-protocol  | --proxy-protocol: true does not apply to --engine sequential (the blocking engines read no PROXY header)",
            "--engine=thread-pool     | --proxy-protocol-timeout=1s | --proxy-protocol-timeout: PT1S does not apply to --engine thread-pool",
            "--engine=sequential      | --tls-provider=jdk | --tls-provider: jdk does not apply to --engine sequential (the blocking engines always use the JDK's JSSE sockets)"})
    void refusesAnOptionTheEngineHasNoUseFor(String engine, String option, String message) {
        assertThatThrownBy(() -> parse(engine, option)).isInstanceOf(ParameterException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--echo-port=70000      | --echo-port: 70000 (expected: 0..65535)",
            "--echo-port=-1         | --echo-port: -1 (expected: 0..65535)",
            "--echo-port=http       | --echo-port",
            "--io-threads=0         | --io-threads: 0 (expected: 1..1024)",
            "--processes=0          | --processes: 0 (expected: 1..256)",
            "--processes=-2         | --processes: -2 (expected: 1..256)",
            "--processes=257        | --processes: 257 (expected: 1..256)",
            "--spare-processes=1    | --spare-processes: 1 (expected: with --processes, which it tunes)",
            "--processes=2 --spare-processes=17 | --spare-processes: 17 (expected: 0..16)",
            "--io-threads=5000      | --io-threads: 5000 (expected: 1..1024)",
            "--shutdown-grace=3000000h | --shutdown-grace: PT3000000H (expected: 0s..PT24H)",
            "--prime-linger=1h      | --prime-linger: PT1H (expected: 0s..PT10S)",
            "--offload-queue=2147483647 | --offload-queue: 2147483647 (expected: 1..10000000)",
            "--transport=kqueue     | 'kqueue' (expected: one of auto, epoll, io_uring, nio, poll)",
            "--shutdown-grace=30    | '30' (expected: a non-negative duration",
            "--shutdown-grace=-5s   | '-5s' (expected: a non-negative duration",
            "--shutdown-grace=PT-1S | 'PT-1S' (expected: a non-negative duration",
            "--no-such-option       | --no-such-option",
            "--prime-port=9090      | --prime-port: 9090 (expected: a port other than --echo-port)",
            "--prime-method=sieve   | 'sieve' (expected: one of trial-division, miller-rabin)",
            "--offload-threads=-1   | --offload-threads: -1 (expected: 0..1024)",
            "--offload-queue=0      | --offload-queue: 0 (expected: 1..10000000)",
            "--prime-cache-size=-1  | --prime-cache-size: -1 (expected: 0..100000000)",
            "--prime-linger=fast    | 'fast' (expected: a non-negative duration",
            "--admin-port=9090      | --admin-port: 9090 (expected: a port other than --echo-port and --prime-port)",
            "--metrics=yes          | --metrics",
            "--max-connections=-1   | --max-connections: -1 (expected: 0..10000000)",
            "--idle-timeout=-1s     | '-1s' (expected: a non-negative duration",
            "--shutdown-delay=2h    | --shutdown-delay: PT2H (expected: 0s..PT1H)",
            "--shutdown-delay=soon  | 'soon' (expected: a non-negative duration",
            "--tcp-keepalive=500ms  | --tcp-keepalive: PT0.5S (expected: 0s, or 1s..PT9H6M7S)",
            "--log-format=xml       | 'xml' (expected: one of text, json)",
            "--tcp-keepalive=10h    | --tcp-keepalive: PT10H (expected: 0s, or 1s..PT9H6M7S)",
            "--proxy-protocol=maybe | --proxy-protocol",
            "--proxy-protocol --proxy-protocol-timeout=0s | --proxy-protocol-timeout: PT0S (expected: 1ms..10m)",
            "--proxy-protocol --proxy-protocol-timeout=1h | --proxy-protocol-timeout: PT1H (expected: 1ms..10m)",
            "--proxy-protocol-timeout=1s | --proxy-protocol-timeout: PT1S (expected: with --proxy-protocol, which it tunes)",
            "--engine=forking       | 'forking' (expected: one of netty, sequential, thread-per-connection, thread-pool, virtual-threads)",
            "--engine=thread-pool --threads=0 | --threads: 0 (expected: 1..100000)",
            "--engine=thread-pool --pool-queue=-1 | --pool-queue: -1 (expected: 0..1000000)",
            "--tls-cert=a.pem       | --tls-cert: a.pem (expected: with --tls-key, its private key)",
            "--tls-key=k.pem        | --tls-key: k.pem (expected: with --tls-cert",
            "--tls-client-ca=ca.pem | --tls-client-ca: ca.pem (expected: with --tls-cert and --tls-key",
            "--admin-tls            | --admin-tls: true (expected: with --tls-cert and --tls-key",
            "--tls-provider=gnutls  | 'gnutls' (expected: one of auto, openssl, jdk)",
            "--tls-handshake-timeout=10ms | --tls-handshake-timeout: PT0.01S (expected: 100ms..10m)",
            "--tls-reload-interval=10ms | --tls-reload-interval: PT0.01S (expected: 0s, or 1s..PT24H)"})
    void rejectsABadValueNamingTheOptionAndWhatIsExpected(String args, String message) {
        assertThatThrownBy(() -> parse(args.split(" "))).isInstanceOf(ParameterException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "2m, PT2M", "1h, PT1H", "PT1M30S, PT1M30S", "0s, PT0S"})
    void readsDurationsWithAUnitOrInIso8601(String text, String iso) {
        assertThat(new DurationText().convert(text)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void helpNamesTheEnvironmentVariableOfEveryOption() {
        CommandLine cli = ServerCommand.newCommandLine(new ServerCommand());
        String help = cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (OptionSpec option : cli.getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                assertThat(help).contains(option.longestName())
                        .contains(ServerCommand.environmentVariable(option.longestName()));
            }
        }
    }

    @Test
    void takesAnOptionFromItsEnvironmentVariable() {
        ServerConfig config = parse(Map.of("RICOCHET_ECHO_PORT", "7000", "RICOCHET_PRIME_METHOD", "miller-rabin",
                "RICOCHET_TCP_KEEPALIVE", "2m", "RICOCHET_IO_THREADS", "3", "RICOCHET_LOG_FORMAT", "JSON"));
        assertThat(config.listeners().echoPort()).isEqualTo(7000);
        assertThat(config.prime().method()).isEqualTo(PrimeMethod.MILLER_RABIN);
        assertThat(config.connections().tcpKeepalive()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.eventLoops().threads()).isEqualTo(3);
        assertThat(config.logging().format()).isEqualTo(LogFormat.JSON);
    }

    @Test
    void theCommandLineWinsOverTheEnvironment() {
        assertThat(parse(Map.of("RICOCHET_ECHO_PORT", "7000"), "--echo-port=7001").listeners().echoPort())
                .isEqualTo(7001);
    }

    @Test
    void aValueOutOfRangeCarriesItsOptionSoThatTheVariableItCameFromCanBeNamed() {
        assertThatThrownBy(() -> parse(Map.of("RICOCHET_IO_THREADS", "0")))
                .isInstanceOfSatisfying(ParameterException.class,
                        e -> assertThat(e.getArgSpec()).isInstanceOfSatisfying(OptionSpec.class,
                                option -> assertThat(option.longestName()).isEqualTo("--io-threads")))
                .hasMessage("--io-threads: 0 (expected: 1..1024)");
    }

    @Test
    void refusesAnOptionFromTheEnvironmentTheEngineHasNoUseFor() {
        assertThatThrownBy(() -> parse(Map.of("RICOCHET_THREADS", "8")))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--threads: 8 does not apply to --engine netty");
    }

    @Test
    void acceptsTheDefaultTransportForAnEngineWithoutEventLoops() {
        assertThat(parse("--engine=sequential", "--transport=auto").engine().kind()).isEqualTo(EngineKind.SEQUENTIAL);
    }

    @Test
    void refusesAPoolSizeForAnotherEngineEvenWhenItIsTheDefault() {
        assertThatThrownBy(() -> parse("--threads=200")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--threads: 200 does not apply to --engine netty");
    }

    @Test
    void helpEndsEachOptionWithItsRangeDefaultAndVariable() {
        CommandLine cli = ServerCommand.newCommandLine(new ServerCommand());
        assertThat(cli.getCommandSpec().findOption("--io-threads").description()).containsExactly(
                "Event loop threads serving connections. Range: 1..1024. Default: the number of CPU cores."
                        + " Env: RICOCHET_IO_THREADS.");
        assertThat(cli.getCommandSpec().findOption("--tcp-keepalive").description()[0])
                .endsWith(" Range: 0s, or 1s..PT9H6M7S. Default: 60s. Env: RICOCHET_TCP_KEEPALIVE.");
        assertThat(cli.getCommandSpec().findOption("--bind").description()[0])
                .endsWith(" Default: 0.0.0.0 (every IPv4 interface). Env: RICOCHET_BIND.");
    }

    @Test
    void reusePortIsAFlagThatMayAlsoTakeItsValue() {
        assertThat(parse().listeners().reusePort()).isFalse();
        assertThat(parse("--reuse-port").listeners().reusePort()).isTrue();
        assertThat(parse("--reuse-port", "false").listeners().reusePort()).isFalse();
        assertThat(parse("--reuse-port=true", "--metrics", "false").admin().metrics()).isFalse();
    }

    @Test
    void proxyProtocolIsAFlagOffByDefaultWithAFiveSecondHeaderTimeout() {
        assertThat(parse().listeners().proxyProtocol()).isEqualTo(new ProxyProtocolSettings(false, Duration.ofSeconds(5)));
        assertThat(parse("--proxy-protocol").listeners().proxyProtocol().enabled()).isTrue();
        assertThat(parse("--proxy-protocol", "false").listeners().proxyProtocol().enabled()).isFalse();
        assertThat(parse(Map.of("RICOCHET_PROXY_PROTOCOL", "true", "RICOCHET_PROXY_PROTOCOL_TIMEOUT", "2s"))
                .listeners().proxyProtocol()).isEqualTo(new ProxyProtocolSettings(true, Duration.ofSeconds(2)));
        assertThat(parse("--engine", "sequential", "--proxy-protocol=false").listeners().proxyProtocol().enabled())
                .isFalse();
    }

    @Test
    void helpListsTheOptionsOfEachConcernTogetherAndHelpAndVersionLast() {
        CommandLine cli = ServerCommand.newCommandLine(new ServerCommand());
        assertThat(cli.getCommandSpec().options()).extracting(OptionSpec::longestName).containsExactly(
                "--engine", "--threads", "--pool-queue", "--processes", "--spare-processes", "--echo-port", "--prime-port", "--bind", "--reuse-port",
                "--proxy-protocol", "--proxy-protocol-timeout", "--transport",
                "--io-threads", "--shutdown-delay", "--shutdown-grace", "--prime-method", "--prime-linger",
                "--offload-threads", "--offload-queue", "--prime-cache-size", "--admin-port", "--admin-bind",
                "--metrics", "--max-connections", "--idle-timeout", "--tcp-keepalive", "--tls-cert", "--tls-key",
                "--tls-client-ca", "--tls-provider", "--tls-handshake-timeout", "--tls-reload-interval", "--admin-tls", "--log-format",
                "--help", "--version");
    }
}
