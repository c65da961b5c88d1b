package dev.ricochet.loadgen;

import dev.ricochet.cli.DurationText;
import dev.ricochet.cli.Range;
import dev.ricochet.loadgen.run.ClientTls;
import dev.ricochet.loadgen.run.ClientTransport;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RateGoal;
import dev.ricochet.loadgen.run.RateProfile;
import dev.ricochet.loadgen.workload.EchoWorkload;
import dev.ricochet.loadgen.workload.IdleWorkload;
import dev.ricochet.loadgen.workload.NumberMix;
import dev.ricochet.loadgen.workload.PrimeWorkload;
import dev.ricochet.loadgen.workload.Workload;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** The {@code ricochet loadgen} command line. */
@Command(
        name = "ricochet loadgen",
        mixinStandardHelpOptions = true,
        version = "ricochet loadgen",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Drives the echo and prime protocols over many connections, checks every reply byte, and"
                + " reports latency corrected for coordinated omission.",
        footer = {"", "A connection is up once its TCP connect has completed and, for echo, the server's greeting"
                + " ('*') has arrived: only then does it count as open and established. The connect phase opens the"
                + " connections at --connect-rate and sends nothing; it ends once every connection's first attempt"
                + " has settled (up, or failed). Then every connection up starts its load, the warmup runs, and the"
                + " measurement follows. Connections lost or failed are replaced after a backoff. Connections not up"
                + " when the measurement ends are reported; each one still awaiting its greeting counts as a failed"
                + " connect ('no greeting').",
                "", "ricochet loadgen merge FILE... adds up the JSON reports of a run's shards (--shard, --shards)"
                + " into one report: see ricochet loadgen merge --help. ricochet loadgen html REPORT PAGE writes"
                + " the page of a run from its JSON report, as --html would have: see ricochet loadgen html --help.",
                "", "Exit codes: 0 no mismatch, every connection up at least once, the error rate within"
                + " --max-error-rate, the shed rate within"
                + " --max-shed-rate, in open loop the rate achieved within --min-achieved-rate, and some request"
                + " answered; 1 otherwise; 2 bad usage. With --find-rate: 0 when the search's answer held twice (in"
                + " the search and on its repeat) and every connection came up; 1 otherwise (no rate held, the"
                + " repeat did not hold, or the search ended on an error: a lost connection, a failed request, a"
                + " mismatch); 2 bad usage. 130 (SIGINT, Ctrl-C) or 143 (SIGTERM): the measurement ended at the"
                + " signal and every report was written, saying it was interrupted (its verdict FAILED); before the"
                + " measurement, nothing is written. A second signal exits at once."})
final class LoadgenCommand {

    private static final List<String> WORKLOADS = List.of("echo", "prime", "idle");
    private static final List<String> ECHO = List.of("echo");
    private static final List<String> PRIME = List.of("prime");
    private static final List<String> SENDING = List.of("echo", "prime");
    private static final String SENDS_NOTHING = "the idle workload sends no requests";
    private static final String PLANS_SEND_TIMES = "only an open loop, --rate > 0, --rate-profile or --find-rate,"
            + " plans send times";

    /**
     * Where each option applies that does not apply to every run (the others do). Given on the
     * command line for a run it does not apply to, it is refused (exit 2), as the server refuses
     * an option its engine has no use for: ignored, it would let the user believe it took
     * effect. A default is never refused. The help's last paragraph is written from this table.
     */
    private static final List<Scope> SCOPES = List.of(
            new Scope("--message-size", ECHO, false, "only echo frames have a payload"),
            new Scope("--numbers", PRIME, false, "only the prime workload sends numbers"),
            new Scope("--seed", PRIME, false, true, "it draws the prime workload's numbers, and the send times of"
                    + " --arrivals poisson"),
            new Scope("--split", SENDING, false, SENDS_NOTHING),
            new Scope("--pipeline", SENDING, false, SENDS_NOTHING),
            new Scope("--rate", SENDING, false, SENDS_NOTHING),
            new Scope("--rate-profile", SENDING, false, SENDS_NOTHING),
            new Scope("--find-rate", SENDING, false, SENDS_NOTHING),
            new Scope("--arrivals", SENDING, true, PLANS_SEND_TIMES),
            new Scope("--send-tick", SENDING, true, PLANS_SEND_TIMES),
            new Scope("--timeout", SENDING, false, SENDS_NOTHING + "; a connect's limit is --connect-timeout"),
            new Scope("--hdr-log", SENDING, false, SENDS_NOTHING + ": it has no latency to log"),
            new Scope("--max-shed-rate", PRIME, false, "only the prime protocol sheds requests, with 'error: busy'"),
            new Scope("--min-achieved-rate", SENDING, true, "only an open loop, --rate > 0, --rate-profile or"
                    + " --find-rate, has a plan to achieve"));

    /** The options that tune a search, refused without {@code --find-rate}. */
    private static final List<String> SEARCH_TUNING = List.of("--find-rate-from", "--find-rate-precision",
            "--find-rate-max-steps");
    private static final double DEFAULT_PRECISION = 0.05;
    private static final int DEFAULT_MAX_STEPS = 12;
    /** The first step's rate, unless given: one request per connection per second, at least this. */
    private static final int DEFAULT_FROM_AT_LEAST = 1000;

    /**
     * The options of a run split over shards, and the rate profile, left out of the JSON report's
     * echo when not given (see {@link #options}), so that the report of a run in one process at
     * a constant rate stays as it was.
     */
    private static final List<String> ECHOED_ONLY_WHEN_GIVEN = List.of("--shard", "--shards", "--start-at",
            "--rate-profile", "--find-rate", "--find-rate-from", "--find-rate-precision", "--find-rate-max-steps",
            "--tls", "--tls-ca", "--tls-insecure", "--tls-server-name", "--tls-cert", "--tls-key", "--tls-provider",
            "--churn");

    /** The options that tune TLS, refused without {@code --tls}. */
    private static final List<String> TLS_TUNING = List.of("--tls-ca", "--tls-insecure", "--tls-server-name",
            "--tls-cert", "--tls-key", "--tls-provider");

    /** The files that say where the figures go, not how the run ran: left out of the echo. */
    private static final List<String> REPORT_FILES = List.of("--json", "--hdr-log", "--html");

    private static final Range<Integer> IO_THREADS = Range.between(1, 1024);

    /**
     * The values each ranged option accepts, stated once: {@link #toSpec} checks them in this
     * order (the first value out of range is the one reported), and an option's help shows its
     * range where its description says {@code ${bundle:range.NAME}} (see {@link #rangeTexts}).
     */
    private static final Map<String, Range<?>> RANGES = ranges();

    private final UnaryOperator<String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT", description = "The server to load.")
    String target;

    @Option(names = "--workload", paramLabel = "KIND", defaultValue = "echo",
            description = "echo, prime or idle (open and hold connections; it expects no greeting, so an idle"
                    + " connection is up at its TCP connect). Default: ${DEFAULT-VALUE}.")
    String workload;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "100",
            description = "Connections to open, ${bundle:range.connections}. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--connect-rate", paramLabel = "PER_SECOND", defaultValue = "5000",
            description = "Connections opened per second at most, ${bundle:range.connect-rate}."
                    + " Default: ${DEFAULT-VALUE}.")
    int connectRate;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationText.class,
            description = "How long a connection may take to come up, ${bundle:range.connect-timeout}, from the start of"
                    + " its connect: the TCP connect"
                    + " and, for echo, the greeting share this one deadline. Past it the attempt is a failed connect"
                    + " (timeout; 'no greeting' when the TCP connect completed but the greeting did not come), retried"
                    + " after a backoff. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s", converter = DurationText.class,
            description = "Measured time, after the warmup, ${bundle:range.duration}. With --rate-profile, the"
                    + " profile's length instead; with --find-rate, each step's window. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "2s", converter = DurationText.class,
            description = "Time from the end of the connect phase (every connection's first attempt up or failed;"
                    + " nothing is sent before) to the measurement, under load (JIT, caches); excluded from results."
                    + " With --find-rate, each step's, at its rate (the first one also warms the JIT)."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration warmup;

    @Option(names = "--start-at", paramLabel = "TIME", converter = InstantText.class,
            description = "Start the measurement at this instant (ISO-8601 in UTC, such as 2026-12-07T16:40:00Z),"
                    + " and the load a warmup before it, once the connect phase is over: the shards of one run"
                    + " (--shard) measure the same window. At most 24h ahead. Default: as soon as the warmup"
                    + " after the connect phase is over.")
    Instant startAt;

    @Option(names = "--source-addresses", paramLabel = "LIST",
            description = "Local IPv4 addresses or ranges (127.0.0.1-127.0.0.8,...), used round-robin, to go past one"
                    + " address's ephemeral ports.")
    String sourceAddresses;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "Event loop threads, ${bundle:range.io-threads}. Default: in open loop one per "
                    + DefaultIoThreads.RATE_PER_LOOP_TEXT + " requests/s of the peak rate (this process's share), at most"
                    + " the CPU cores: each loop wakes at every tick of its send clock, so fewer loops cost less CPU per"
                    + " request; in closed loop, idle and --find-rate, the number of CPU cores.")
    Integer ioThreads;

    @Option(names = "--transport", paramLabel = "KIND", defaultValue = "auto",
            description = "auto (native epoll, else NIO), epoll, io_uring or nio. Default: ${DEFAULT-VALUE}.")
    String transport;

    @Option(names = "--tls",
            description = "Speak TLS on every connection: the handshake is part of each connection's connect time,"
                    + " and a failed one is a failed connect (tls), its reason among the report's error samples."
                    + " The server's certificate is verified for --tls-server-name, trusting --tls-ca, or without"
                    + " it the JDK's default trust store (as a browser or curl would).")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "With --tls: trust the certificate authorities of this PEM file (and no other).")
    Path tlsCa;

    @Option(names = "--tls-insecure",
            description = "With --tls: trust any server certificate, for any name (encrypted, not authenticated;"
                    + " the report's header says so). Not with --tls-ca.")
    boolean tlsInsecure;

    @Option(names = "--tls-server-name", paramLabel = "NAME",
            description = "With --tls: the name sent as SNI and verified in the server's certificate."
                    + " Default: the --target host.")
    String tlsServerName;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "With --tls and --tls-key: the client certificate (PEM) presented to a server that asks for"
                    + " one (mutual TLS).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "With --tls and --tls-cert: the client certificate's private key (PEM, PKCS#8, unencrypted).")
    Path tlsKey;

    @Option(names = "--tls-provider", paramLabel = "KIND", defaultValue = "auto",
            description = "With --tls: auto (OpenSSL, BoringSSL of netty-tcnative, when it loads here, else the JDK),"
                    + " openssl or jdk (refused when not available). The report says which. Default: ${DEFAULT-VALUE}.")
    String tlsProvider;

    @Option(names = "--churn", paramLabel = "PER_SECOND",
            description = "Instead of a load on held connections: open ${bundle:range.churn} connections a second, each"
                    + " connect, TLS handshake (--tls), greeting, one request verified (echo; idle: none), then closed"
                    + " by the load generator, to measure connects and handshakes per second. Connections planned"
                    + " in the --warmup are not measured, those planned in the --duration after it are; the run then"
                    + " waits for each to settle. Reports the connects done per second, the connect time from each"
                    + " connection's planned start (corrected for coordinated omission) and failures by kind."
                    + " Not with --connections, --connect-rate, --pipeline, --rate, --rate-profile, --find-rate,"
                    + " --shard(s), --start-at, --hdr-log, or --workload prime.")
    Integer churn;

    @Option(names = "--message-size", paramLabel = "BYTES", defaultValue = "64",
            description = "Echo: payload bytes per frame (each is answered), ${bundle:range.message-size}."
                    + " Default: ${DEFAULT-VALUE}.")
    int messageSize;

    @Option(names = "--split", paramLabel = "N", defaultValue = "1",
            description = "Cut each request into N writes, ${bundle:range.split}, to exercise the server's framing."
                    + " Default: ${DEFAULT-VALUE}.")
    int split;

    @Option(names = "--numbers", paramLabel = "MIX", defaultValue = "12d",
            description = "Prime: a number, a digit count (12d), or weighted entries (6d:95,19d:5). Default: ${DEFAULT-VALUE}.")
    String numbers;

    @Option(names = "--pipeline", paramLabel = "K", defaultValue = "1",
            description = "Requests outstanding per connection at most, ${bundle:range.pipeline}."
                    + " Default: ${DEFAULT-VALUE}.")
    int pipeline;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "0",
            description = "Open loop: requests per second over all connections, ${bundle:range.rate}, spread evenly"
                    + " (or see --arrivals);"
                    + " latency is measured"
                    + " from the planned send time. 0: closed loop. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--rate-profile", paramLabel = "SPEC",
            description = "Open loop, instead of --rate: the run's rate over time, as " + RateProfile.SYNTAX
                    + " (30 s at 5,000/s, then a 30 s ramp to 20,000/s). The segments run one after another; the"
                    + " measurement lasts their sum (so --duration is not given), each segment is a phase of the"
                    + " report (requests counted in the phase of their planned send time), and the warmup runs at"
                    + " the first rate. A 0 rate is a silence. At most " + RateProfile.MAX_SEGMENTS + " segments.")
    String rateProfile;

    @Option(names = "--arrivals", paramLabel = "KIND", defaultValue = "uniform",
            description = "Open loop: how each connection's requests are spaced. uniform: evenly, the connections"
                    + " taking turns; poisson: exponential gaps of the same mean (a Poisson process of the run's"
                    + " rate), drawn from --seed and each connection's number in the run, so that a run is"
                    + " reproducible and shards differ. Default: ${DEFAULT-VALUE}.")
    String arrivals;

    @Option(names = "--send-tick", paramLabel = "DURATION", defaultValue = "250us", converter = DurationText.class,
            description = "Open loop: the send clock's tick, ${bundle:range.send-tick}. Each event loop wakes at most"
                    + " once a tick to send what has come due, so a request leaves up to a tick after its planned"
                    + " time (the report's Send lag; the corrected latency includes it). A longer tick costs fewer"
                    + " wake-ups, so less CPU per request at low rates, and sends in larger bursts (tcpkali's timers"
                    + " tick at 1ms). Default: ${DEFAULT-VALUE}.")
    Duration sendTick;

    @Option(names = "--find-rate", paramLabel = "GOAL",
            description = "Open loop, instead of --rate: search for the highest rate whose corrected latency (from"
                    + " each request's planned send) meets GOAL, " + RateGoal.SYNTAX + ". On the same connections,"
                    + " steps from --find-rate-from, doubling until one fails, then bisecting between the highest"
                    + " that held and the lowest that did not; each step is a --warmup at its rate (not judged), a"
                    + " --duration window (judged), and a settle (twice the bound, at least 200ms) at its rate while"
                    + " the window's replies come in. A step holds when its window meets GOAL (requests still"
                    + " unanswered counted with their latency so far), none of its requests was shed, it answered"
                    + " --min-achieved-rate of those planned, and no error happened nor connection was lost (either"
                    + " ends the search). The answer is repeated once at the end; the report has a table of the"
                    + " steps and the answer.")
    String findRate;

    @Option(names = "--find-rate-from", paramLabel = "PER_SECOND",
            description = "With --find-rate: the first step's rate, ${bundle:range.find-rate-from}. Default: the"
                    + " number of connections, at least " + DEFAULT_FROM_AT_LEAST + ".")
    Integer findRateFrom;

    @Option(names = "--find-rate-precision", paramLabel = "FRACTION",
            description = "With --find-rate: the search stops once the lowest rate that failed is within this"
                    + " fraction, ${bundle:range.find-rate-precision}, of the highest that held. Default: "
                    + DEFAULT_PRECISION + ".")
    Double findRatePrecision;

    @Option(names = "--find-rate-max-steps", paramLabel = "N",
            description = "With --find-rate: steps searched at most, ${bundle:range.find-rate-max-steps}, before the"
                    + " repeat of the answer; a search that reaches it ends there, short of its precision, and"
                    + " says so. Default: " + DEFAULT_MAX_STEPS + ".")
    Integer findRateMaxSteps;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationText.class,
            description = "How long each request may wait for its reply from its send, ${bundle:range.timeout}; past it"
                    + " the request times out,"
                    + " and its connection is closed and replaced (the greeting's limit is --connect-timeout)."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration replyTimeout;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write every figure, with the options and the histograms, as JSON, once the run is"
                    + " over ('ricochet loadgen merge' adds up the shards' reports). -: on standard output, after the"
                    + " text report (a pod's log). Checked before the first connection: a folder, a file in a"
                    + " missing folder or one that cannot be written is refused (exit 2).")
    Path json;

    @Option(names = "--hdr-log", paramLabel = "FILE",
            description = "Also write an HdrHistogram interval log (one corrected and one uncorrected histogram per"
                    + " second). Checked before the first connection, as --json.")
    Path hdrLog;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the report as one self-contained HTML page (charts drawn inline, nothing"
                    + " fetched: it reads offline), once the run is over: latency by percentile, requests/s and p99"
                    + " per second, errors, sheds and reconnects per second, connections up, the verdict, the"
                    + " options; every figure the JSON report's. Checked before the first connection, as --json;"
                    + " not -, nor the file of --json or --hdr-log. Needs the java.desktop module (AWT draws the"
                    + " charts), which a minimal Java runtime may lack: refused there (exit 2); run with --json,"
                    + " and 'ricochet loadgen html' draws the page from it elsewhere.")
    Path html;

    @Option(names = "--max-error-rate", paramLabel = "FRACTION", defaultValue = "0",
            description = "Errors per request over the whole run (each failed request, and each connection failure"
                    + " that failed none), ${bundle:range.max-error-rate}, above which the run fails (exit 1)."
                    + " Default: ${DEFAULT-VALUE}.")
    double maxErrorRate;

    @Option(names = "--max-shed-rate", paramLabel = "FRACTION", defaultValue = "0",
            description = "Requests the server sheds (prime: 'error: busy'), per request, ${bundle:range.max-shed-rate},"
                    + " above which the run fails"
                    + " (exit 1); shed requests are counted apart from errors. 1: measure overload without failing."
                    + " Default: ${DEFAULT-VALUE}.")
    double maxShedRate;

    @Option(names = "--min-achieved-rate", paramLabel = "FRACTION", defaultValue = "0.95",
            description = "Open loop: the fraction, ${bundle:range.min-achieved-rate}, of the requests planned inside the"
                    + " measurement that must be answered"
                    + " (or shed); below, the server did not keep up (stalled, lost connections) and the run fails"
                    + " (exit 1); with --find-rate, each step's window, below which the step fails."
                    + " 0: never. Default: ${DEFAULT-VALUE}.")
    double minAchievedRate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed for the prime numbers and the order they are drawn in, and for the send times of"
                    + " --arrivals poisson. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run shard I of N (I from 0, N ${bundle:range.shards}) of a run split over N processes:"
                    + " --connections and --rate (or --rate-profile) are the run's, of which this process opens its"
                    + " share of the"
                    + " connections (the first shards one more), each at the rate it would have in one process, its"
                    + " send times interleaved with the other shards'. Prime numbers are drawn with --seed + I."
                    + " Default: the whole run.")
    String shard;

    @Option(names = "--shards", paramLabel = "N",
            description = "Run one of N shards, ${bundle:range.shards}, as --shard I/N does, I taken from "
                    + ShardOption.INDEX_VARIABLE + " (what a Kubernetes Indexed Job sets in each pod), so that every"
                    + " pod runs one command line.")
    Integer shards;

    LoadgenCommand() {
        this(System::getenv);
    }

    /** A command line that reads its variables from {@code environment}, for tests. */
    LoadgenCommand(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /**
     * The run, validated: every value, and the report files (see {@link ReportFile}), before
     * the first connection.
     *
     * @throws IllegalArgumentException with a one-line reason, for bad usage
     */
    LoadSpec toSpec() {
        InetSocketAddress address = parseTarget(target);
        requireInRange();
        String kind = workload.toLowerCase(Locale.ROOT);
        if (!WORKLOADS.contains(kind)) {
            throw new IllegalArgumentException("--workload: " + workload + " (expected: echo, prime or idle)");
        }
        LoadSpec.Arrivals spacing = parseArrivals(arrivals, seed);
        refuseOptionsThatDoNotApply(kind, rate > 0 || rateProfile != null || findRate != null, spacing.poisson());
        LoadSpec.Search search = search();
        refuseWithChurn(kind);
        ClientTls clientTls = tls(address);
        RateProfile profile = rateProfile == null ? null : profileAlone(RateProfile.parse(rateProfile));
        LoadSpec.Shard part = ShardOption.resolve(shard, shards, environment, connections,
                search != null ? search.fromRate() : profile != null ? profile.meanRate() : rate);
        Workload chosen = switch (kind) {
            case "echo" -> new EchoWorkload(messageSize, split);
            case "prime" -> new PrimeWorkload(NumberMix.parse(numbers, part.seed(seed), split));
            default -> new IdleWorkload();
        };
        // A search's peak is what it finds: unknown here, so it gets a loop per core, as closed loop.
        double peakRate = kind.equals("idle") || search != null || churn != null ? 0
                : profile != null ? profile.peakRate() * part.connections() / part.runConnections() : part.rate();
        int threads = ioThreads != null
                ? ioThreads
                : IO_THREADS.require("--io-threads", DefaultIoThreads.of(peakRate, Runtime.getRuntime().availableProcessors()));
        List<InetAddress> sources = SourceAddresses.parse(sourceAddresses);
        ConnectionBudget.problem(part.connections(), sources.size(), ConnectionBudget.maxOpenFiles(),
                ConnectionBudget.ephemeralPorts()).ifPresent(problem -> {
                    throw new IllegalArgumentException(problem);
                });
        ReportFile.requireJsonWritable(json);
        ReportFile.requireWritable("--hdr-log", hdrLog);
        Map<String, Path> others = new LinkedHashMap<>();
        others.put("--json", json);
        others.put("--hdr-log", hdrLog);
        ReportFile.requirePageWritable(html, others);
        return new LoadSpec(address, chosen,
                new LoadSpec.Network(part.connections(), connectRate, connectTimeout, sources, threads,
                        ClientTransport.choose(transport), clientTls),
                new LoadSpec.Timing(warmup, duration, requireAhead(startAt)),
                new LoadSpec.Load(pipeline, part.rate(), replyTimeout, profile, spacing, search, sendTick,
                        churn == null ? 0 : churn),
                new LoadSpec.PassLimits(maxErrorRate, maxShedRate, minAchievedRate),
                part);
    }

    private static LoadSpec.Arrivals parseArrivals(String text, long seed) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "uniform" -> LoadSpec.Arrivals.UNIFORM;
            case "poisson" -> LoadSpec.Arrivals.poisson(seed);
            default -> throw new IllegalArgumentException("--arrivals: " + text + " (expected: uniform or poisson)");
        };
    }

    /**
     * {@code --find-rate}'s search, or null without it. The search decides each step's rate as
     * it goes, in one process: a rate, a profile, shards or a start time beside it are refused,
     * as are error and shed limits (a step holds only when nothing failed or was shed); its
     * tuning options are refused without it.
     */
    private LoadSpec.Search search() {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (findRate == null) {
            for (String option : SEARCH_TUNING) {
                if (given.matchedOption(option) != null) {
                    throw new IllegalArgumentException(option + ": " + String.join(" ",
                            given.matchedOption(option).originalStringValues()) + " applies only with --find-rate");
                }
            }
            return null;
        }
        RateGoal goal = RateGoal.parse(findRate);
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("--rate", "the search sets each step's rate");
        refused.put("--rate-profile", "the search sets each step's rate");
        refused.put("--shard", "a search runs in one process: its steps' rates are decided as it goes");
        refused.put("--shards", "a search runs in one process: its steps' rates are decided as it goes");
        refused.put("--start-at", "the search starts once the connect phase is over");
        refused.put("--max-error-rate", "a step holds only when no error happened; an error ends the search");
        refused.put("--max-shed-rate", "a step holds only when none of its requests was shed");
        refuseBeside("--find-rate", refused, given);
        return new LoadSpec.Search(goal, findRateFrom != null ? findRateFrom : Math.max(DEFAULT_FROM_AT_LEAST, connections),
                findRatePrecision != null ? findRatePrecision : DEFAULT_PRECISION,
                findRateMaxSteps != null ? findRateMaxSteps : DEFAULT_MAX_STEPS);
    }

    /**
     * {@code --tls}'s client context, or null without it: its tuning options are refused without
     * it, {@code --tls-ca} beside {@code --tls-insecure} (one says whom to trust, the other
     * trusts anyone), and one of {@code --tls-cert} and {@code --tls-key} without the other.
     * Without {@code --tls-ca} the JDK's default trust store is trusted, as curl trusts the
     * system's: a server with a public certificate needs no option.
     */
    private ClientTls tls(InetSocketAddress address) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (!tls) {
            for (String option : TLS_TUNING) {
                if (given.matchedOption(option) != null) {
                    String values = given(given.matchedOption(option));
                    throw new IllegalArgumentException(option + (values.isEmpty() ? "" : ":" + values)
                            + " applies only with --tls");
                }
            }
            return null;
        }
        if (tlsCa != null && tlsInsecure) {
            throw new IllegalArgumentException("--tls-ca " + tlsCa + " and --tls-insecure (expected: one of them;"
                    + " --tls-insecure trusts any certificate)");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException((tlsCert != null ? "--tls-cert " + tlsCert + " without --tls-key"
                    : "--tls-key " + tlsKey + " without --tls-cert") + " (expected: both, for a client certificate)");
        }
        return ClientTls.build(tlsProvider, tlsCa, tlsInsecure,
                tlsServerName != null ? tlsServerName : address.getHostString(), tlsCert, tlsKey);
    }

    /** An option's values as given, after a space; nothing for a flag. */
    /** Refuses any of the {@code refused} options given beside {@code mode}, saying why it has no use for it. */
    private static void refuseBeside(String mode, Map<String, String> refused, CommandLine.ParseResult given) {
        refused.forEach((option, why) -> {
            OptionSpec matched = given.matchedOption(option);
            if (matched != null) {
                throw new IllegalArgumentException(mode + " and " + option + given(matched) + " (expected: one of"
                        + " them; " + why + ")");
            }
        });
    }

    private static String given(OptionSpec option) {
        List<String> values = option.originalStringValues();
        return option.arity().max() == 0 || values.isEmpty() ? "" : " " + String.join(" ", values);
    }

    /**
     * {@code --churn} opens its own connections at its own rate, each for one request: the
     * options of a load on held connections would be ignored beside it, so they are refused.
     */
    private void refuseWithChurn(String kind) {
        if (churn == null) {
            return;
        }
        if (kind.equals("prime")) {
            throw new IllegalArgumentException("--churn and --workload " + workload + " (expected: echo or idle;"
                    + " churn measures connects, and a prime request's cost would hide them)");
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("--connections", "churn opens a connection for each planned connect");
        refused.put("--connect-rate", "--churn is the rate connections are opened at");
        refused.put("--pipeline", "each churn connection sends one request");
        refused.put("--rate", "churn sends one request per connection, at the connections' rate");
        refused.put("--rate-profile", "churn opens connections at one rate");
        refused.put("--find-rate", "churn opens connections at one rate");
        refused.put("--shard", "churn runs in one process");
        refused.put("--shards", "churn runs in one process");
        refused.put("--start-at", "churn starts its warmup at once");
        refused.put("--hdr-log", "churn has no request latencies to log");
        refuseBeside("--churn", refused, given);
    }

    /**
     * A rate profile sets the rate and the measurement's length: {@code --rate} or
     * {@code --duration} beside it would be a second answer, one of them ignored. The duration
     * then reads the profile's, so that the report's echo says how long the run measured.
     */
    private RateProfile profileAlone(RateProfile profile) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (given.matchedOption("--rate") != null) {
            throw new IllegalArgumentException("--rate-profile and --rate " + String.join(" ",
                    given.matchedOption("--rate").originalStringValues()) + " (expected: one of them; the profile"
                    + " sets the rate)");
        }
        if (given.matchedOption("--duration") != null) {
            String length = profile.duration().toString().substring(2).toLowerCase(Locale.ROOT);
            throw new IllegalArgumentException("--rate-profile and --duration " + String.join(" ",
                    given.matchedOption("--duration").originalStringValues()) + " (expected: one of them; the"
                    + " measurement lasts the profile, " + length + ")");
        }
        duration = profile.duration();
        return profile;
    }

    /** How far ahead {@code --start-at} may be: a farther one is more likely a typo than a plan. */
    private static final Duration START_AT_HORIZON = Duration.ofHours(24);

    /** {@code --start-at}, when given, must lie ahead, within {@link #START_AT_HORIZON}. */
    private static Instant requireAhead(Instant startAt) {
        if (startAt == null) {
            return null;
        }
        Instant now = Instant.now();
        if (!startAt.isAfter(now) || startAt.isAfter(now.plus(START_AT_HORIZON))) {
            throw new IllegalArgumentException("--start-at: " + startAt + " (expected: an instant ahead of now, "
                    + now.truncatedTo(ChronoUnit.SECONDS) + ", by at most " + START_AT_HORIZON + ")");
        }
        return startAt;
    }

    /** Reads an ISO-8601 instant in UTC, such as {@code 2026-12-07T16:40:00Z}. */
    static final class InstantText implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' (expected: an ISO-8601 instant in UTC, such as"
                        + " 2026-12-07T16:40:00Z)");
            }
        }
    }

    /** Checks every option of {@link #RANGES} that has a value (given, or its default). */
    @SuppressWarnings("unchecked") // each range is stated for its own option's type
    private void requireInRange() {
        RANGES.forEach((name, range) -> {
            Object value = spec.findOption(name).getValue();
            if (value != null) {
                ((Range<Object>) range).require(name, value);
            }
        });
    }

    /** Refuses an option given on the command line that {@link #SCOPES} says this run has no use for. */
    private void refuseOptionsThatDoNotApply(String kind, boolean openLoop, boolean poisson) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        for (Scope scope : SCOPES) {
            OptionSpec option = given.matchedOption(scope.option());
            if (option != null) {
                scope.misfit(kind, openLoop, poisson).ifPresent(run -> {
                    throw new IllegalArgumentException(scope.option() + ": "
                            + String.join(" ", option.originalStringValues()) + " does not apply to " + run
                            + " (" + scope.why() + ")");
                });
            }
        }
    }

    /** The command line of {@code command}, its help ending with where the options of {@link #SCOPES} apply. */
    static CommandLine newCommandLine(LoadgenCommand command) {
        CommandLine cli = new CommandLine(command);
        cli.setResourceBundle(rangeTexts());
        UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        Map<String, List<String>> optionsByRuns = new LinkedHashMap<>();
        for (Scope scope : SCOPES) {
            String runs = String.join(" and ", scope.workloads())
                    + (scope.openLoopOnly() ? " in open loop (--rate > 0, --rate-profile or --find-rate)" : "")
                    + (scope.poissonToo() ? ", and any run with --arrivals poisson" : "");
            optionsByRuns.computeIfAbsent(runs, r -> new ArrayList<>()).add(scope.option());
        }
        List<String> where = new ArrayList<>();
        optionsByRuns.forEach((runs, options) -> where.add(String.join(", ", options) + ": " + runs));
        List<String> footer = new ArrayList<>(List.of(usage.footer()));
        footer.add("");
        footer.add("Options for some runs only, refused (exit 2) when given for another: " + String.join("; ", where)
                + ". The others apply to every run.");
        usage.footer(footer.toArray(String[]::new));
        return cli;
    }

    private static Map<String, Range<?>> ranges() {
        Range<Double> fraction = Range.between(0.0, 1.0);
        Map<String, Range<?>> ranges = new LinkedHashMap<>();
        ranges.put("--connections", Range.between(1, 10_000_000));
        ranges.put("--connect-rate", Range.atLeast(1));
        ranges.put("--message-size", Range.between(1, 16 * 1024 * 1024));
        ranges.put("--split", Range.between(1, 1024));
        ranges.put("--pipeline", Range.between(1, 100_000));
        ranges.put("--rate", Range.atLeast(0.0));
        ranges.put("--max-error-rate", fraction);
        ranges.put("--max-shed-rate", fraction);
        ranges.put("--min-achieved-rate", fraction);
        ranges.put("--duration", Range.positive());
        ranges.put("--timeout", Range.positive());
        ranges.put("--send-tick", Range.between(Duration.ofNanos(50_000), Duration.ofMillis(10), "50us..10ms"));
        ranges.put("--connect-timeout", Range.positive());
        ranges.put("--io-threads", IO_THREADS);
        ranges.put("--shards", ShardOption.COUNT);
        ranges.put("--find-rate-from", Range.between(1, 100_000_000));
        ranges.put("--find-rate-precision", Range.between(0.001, 0.5));
        ranges.put("--find-rate-max-steps", Range.between(1, 30));
        ranges.put("--churn", Range.between(1, 1_000_000));
        return Collections.unmodifiableMap(ranges);
    }

    /** The help's {@code ${bundle:range.NAME}}: each option's range of {@link #RANGES}. */
    private static ResourceBundle rangeTexts() {
        Object[][] texts = RANGES.entrySet().stream()
                .map(e -> new Object[] {"range." + e.getKey().substring(2), e.getValue().toString()})
                .toArray(Object[][]::new);
        return new ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return texts;
            }
        };
    }

    /**
     * The run's options as the JSON report echoes them, in the order they are declared: each
     * under its name without {@code --} and with {@code _} for {@code -}, with its value given
     * or defaulted (a duration in ISO-8601, an optional one left unset as null). A file
     * option ({@code --json}, {@code --hdr-log}) says where the figures go, not how the run
     * ran, and is left out. The sharding options appear only when given, so that a run in one
     * process echoes what it always did.
     */
    Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || REPORT_FILES.contains(option.longestName())) {
                continue;
            }
            Object value = option.getValue();
            if (ECHOED_ONLY_WHEN_GIVEN.contains(option.longestName())
                    && (value == null || given != null && given.matchedOption(option.longestName()) == null)) {
                continue;
            }
            options.put(option.longestName().substring(2).replace('-', '_'),
                    value instanceof Duration || value instanceof Instant || value instanceof Path ? value.toString()
                            : value);
        }
        return options;
    }

    private static InetSocketAddress parseTarget(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("--target: " + text + " (expected: HOST:PORT)");
        }
        String host = text.substring(0, colon).replaceAll("^\\[|]$", "");
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--target: " + text + " (expected: a port from 1 to 65535)");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("--target: " + text + " (cannot resolve " + host + ")");
        }
        return address;
    }

    /**
     * The runs an option applies to.
     *
     * @param option       its name
     * @param workloads    the workloads it applies to
     * @param openLoopOnly whether it applies only in open loop ({@code --rate} above 0, a rate profile, or a search)
     * @param poissonToo   whether it also applies to any run with {@code --arrivals poisson}
     * @param why          why it does not apply elsewhere, for the refusal
     */
    private record Scope(String option, List<String> workloads, boolean openLoopOnly, boolean poissonToo, String why) {

        Scope(String option, List<String> workloads, boolean openLoopOnly, String why) {
            this(option, workloads, openLoopOnly, false, why);
        }

        /** The run it does not apply to, as the refusal names it; empty when it applies. */
        Optional<String> misfit(String workload, boolean openLoop, boolean poisson) {
            if (poissonToo && poisson) {
                return Optional.empty();
            }
            if (!workloads.contains(workload)) {
                return Optional.of("--workload " + workload);
            }
            return openLoopOnly && !openLoop ? Optional.of("a closed loop") : Optional.empty();
        }
    }
}
