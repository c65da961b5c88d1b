package dev.ricochet.server;

import dev.ricochet.server.admin.AdminServer;
import dev.ricochet.server.admin.Readiness;
import dev.ricochet.server.config.ServerCommand;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.logging.LogFormat;
import dev.ricochet.server.master.Master;
import dev.ricochet.server.master.WorkerRole;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.tls.ServerTls;
import dev.ricochet.server.tls.TlsSetupException;
import dev.ricochet.server.transport.TransportUnavailableException;
import io.netty.util.ResourceLeakDetector;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code ricochet server}: parses the options, starts the engine, serves until SIGTERM or
 * SIGINT, drains, and exits 0. Bad usage exits 2 with a one-line reason, a failure to start
 * exits 1.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        // Before anything starts Log4j (Netty's loggers below do): it starts in the right layout.
        LogFormat.preselect(args, System.getenv());
        if (!leakDetectionAsked(System.getProperties())) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        int code;
        try {
            code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } catch (Throwable e) {
            // Through the log, in its chosen format (a JSON collector would drop the JVM's
            // plain stack trace), and before the logs are flushed below.
            LoggerFactory.getLogger(Main.class).error("Failed: {}", e.toString(), e);
            code = EXIT_FAILURE;
        }
        // Log4j's own shutdown hook is off (log4j2.component.properties) so that the
        // "Stopped" line of a drain is written before the async appender goes away.
        LogManager.shutdown();
        System.exit(code);
    }

    /**
     * Netty's default leak detection samples about one buffer in 128 and takes a stack trace
     * for each: CPU that a busy server notices (docs/benchmark-history.md has the figure). The test
     * suite runs every path at the paranoid level and fails on a leak, so production runs
     * without it unless these system properties ask for a level: Netty's
     * {@code io.netty.leakDetection.level} ({@code -Dio.netty.leakDetection.level=simple}) or
     * its older spelling.
     */
    static boolean leakDetectionAsked(Properties system) {
        return system.getProperty("io.netty.leakDetection.level") != null
                || system.getProperty("io.netty.leakDetectionLevel") != null;
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        ServerCommand command = new ServerCommand();
        CommandLine cli = ServerCommand.newCommandLine(command).setOut(out).setErr(err);
        ServerConfig config;
        CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return EXIT_OK;
            }
            config = command.toConfig();
        } catch (ParameterException e) {
            // Not a log line: the reason goes to stderr as plain text whatever the log format.
            err.println("ricochet server: " + describe(e) + " (see --help)");
            return EXIT_USAGE;
        }
        // Before anything logs what an operator keeps: every later line has the chosen layout.
        config.logging().format().use();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> LoggerFactory.getLogger(Main.class)
                .error("Uncaught in thread {}: {}", thread.getName(), e.toString(), e));
        Engines.Starter starter;
        ServerTls tls;
        try {
            tls = ServerTls.load(config.tls());
            starter = Engines.prepare(config, tls);
        } catch (TransportUnavailableException | TlsSetupException e) {
            err.println("ricochet server: " + e.getMessage());
            return EXIT_USAGE;
        }
        try (tls) {
            if (config.processes().master()) {
                // The checks above were the workers' (each makes them again): the master serves no port.
                return Master.run(config, tls, parsed, Main.class.getName(), err);
            }
            return serve(config, starter, tls, err);
        }
    }

    private static int serve(ServerConfig config, Engines.Starter starter, ServerTls tls, PrintWriter err) {
        Logger log = LoggerFactory.getLogger(Main.class);
        // Signals first: a SIGTERM that arrives while the server starts still gets a drain.
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch cutShort = new CountDownLatch(1);
        AtomicReference<Engine> running = new AtomicReference<>();
        AtomicInteger signals = new AtomicInteger();
        Optional<WorkerRole> worker = WorkerRole.ofThisProcess();
        SignalHandler onSignal = signal -> {
            worker.ifPresent(WorkerRole::stopWaiting); // a spare stops at once: it serves nothing yet
            onStop(signals, stop, cutShort, running, "SIG" + signal.getName() + " received");
        };
        Signal.handle(new Signal("TERM"), onSignal);
        if (worker.isEmpty()) {
            Signal.handle(new Signal("INT"), onSignal);
        } else {
            // A worker's master passes every stop on as SIGTERM. Ctrl-C in a terminal sends SIGINT
            // to the master and its workers alike: taken here too, the master's SIGTERM after it
            // would count as a second signal and cut the drain short.
            Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
            // A master killed (SIGKILL) passes nothing on: its end tells the worker to drain.
            worker.get().listen(System.in, () -> {
                if (signals.compareAndSet(0, 1)) { // a first stop only: one under way goes on as it is
                    log.info("The master process is gone: shutting down");
                    stop.countDown();
                }
            });
        }

        ServerMetrics metrics = config.admin().metrics() ? ServerMetrics.prometheus(config.engine().kind())
                : ServerMetrics.disabled();
        Readiness readiness = new Readiness();
        AdminServer admin;
        Engine engine;
        try {
            // The admin server comes first, so that /health/ready says 503 while starting.
            admin = worker.isPresent()
                    ? AdminServer.startForWorker(config.admin().bind(), config.admin().port(), metrics, readiness)
                    : AdminServer.start(config.admin().bind(), config.admin().port(), tls.forAdmin(metrics), metrics,
                            readiness);
        } catch (Exception e) {
            return cannotListen(err, log, config.admin().bind(), "admin port " + config.admin().port(), e);
        }
        if (worker.isPresent() && worker.get().spare()) {
            log.info("Spare: admin on {}:{}, started but listening on nothing until it takes a worker's place",
                    config.admin().bind().getHostAddress(), admin.address().getPort());
            if (worker.get().awaitPromotion().isEmpty()) {
                admin.close();
                metrics.close();
                log.info("Stopped");
                return EXIT_OK;
            }
        }
        try {
            engine = starter.start(metrics);
        } catch (Exception e) {
            admin.close();
            return cannotListen(err, log, config.listeners().bind(),
                    "ports " + config.listeners().echoPort() + " and " + config.listeners().primePort(), e);
        }
        running.set(engine);
        tls.startReloading(metrics);
        readiness.ready();
        log.info("Listening: echo on {}:{}, prime on {}:{}, admin on {}:{}, engine {}, prime method {},"
                        + " shutdown delay {} and grace {}",
                config.listeners().bind().getHostAddress(), engine.echoAddress().getPort(),
                config.listeners().bind().getHostAddress(), engine.primeAddress().getPort(),
                config.admin().bind().getHostAddress(), admin.address().getPort(), engine.description(),
                config.prime().method().cliName(), config.shutdown().delay(), config.shutdown().grace());
        engine.startupWarnings().forEach(log::warn);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readiness.notReady();
        awaitShutdownDelay(config, cutShort, log);
        engine.shutdown(config.shutdown().grace());
        admin.close();
        metrics.close();
        return EXIT_OK;
    }

    /**
     * Readiness already says 503; the listeners stay open a little longer, because load
     * balancers and Kubernetes endpoints only notice at their next probe or update, and a
     * closed port would refuse the clients they still send meanwhile.
     */
    private static void awaitShutdownDelay(ServerConfig config, CountDownLatch cutShort, Logger log) {
        if (config.shutdown().delay().isZero()) {
            return;
        }
        log.info("Not ready: accepting for {} more before draining", config.shutdown().delay());
        try {
            cutShort.await(config.shutdown().delay().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The first signal starts a drain; a second one, during the delay or the drain, cuts it short.
     *
     * @param cause {@code SIGTERM received}, or what else asked a worker to stop
     */
    private static void onStop(AtomicInteger signals, CountDownLatch stop, CountDownLatch cutShort,
            AtomicReference<Engine> running, String cause) {
        Logger log = LoggerFactory.getLogger(Main.class);
        // The JDK runs each signal's handler in a thread of its own: two close together race.
        if (signals.getAndIncrement() == 0) {
            log.info("{}: shutting down", cause);
            stop.countDown();
            return;
        }
        cutShort.countDown();
        Engine engine = running.get();
        if (engine != null) {
            log.info("{} again: closing every connection now", cause);
            engine.closeAllConnections();
        }
    }

    private static int cannotListen(PrintWriter err, Logger log, InetAddress bind, String what, Exception e) {
        // Netty rethrows a BindException undeclared, hence the broad catch by the callers.
        log.error("Cannot listen on {} {}: {}", bind.getHostAddress(), what, e.toString());
        err.println("ricochet server: cannot listen on " + bind.getHostAddress() + " " + what + ": " + e.getMessage());
        return EXIT_FAILURE;
    }

    /** Names the environment variable when the bad value came from there, not the command line. */
    private static String describe(ParameterException e) {
        ArgSpec arg = e.getArgSpec();
        String message = e.getMessage();
        if (arg instanceof OptionSpec option && e.getCommandLine() != null) {
            CommandLine.ParseResult result = e.getCommandLine().getParseResult();
            boolean onCommandLine = result != null && result.hasMatchedOption(option);
            String variable = ServerCommand.environmentVariable(option.longestName());
            if (!onCommandLine && System.getenv(variable) != null) {
                return message + " (from environment variable " + variable + ")";
            }
        }
        return message;
    }
}
