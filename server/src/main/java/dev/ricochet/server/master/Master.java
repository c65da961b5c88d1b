package dev.ricochet.server.master;

import dev.ricochet.server.admin.AdminServer;
import dev.ricochet.server.admin.Readiness;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.metrics.WorkerMetrics;
import dev.ricochet.server.tls.ServerTls;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ParseResult;
import sun.misc.Signal;

/**
 * {@code --processes N}: the master of N worker processes, each a server of the chosen engine
 * on the same echo and prime ports (SO_REUSEPORT; the master holds the ports bound, never
 * listening: {@link PortReservation}). It serves no connection itself. It
 * <ul>
 * <li>starts the workers and is ready once all of them are, then as long as one is;</li>
 * <li>puts another process in the place of a worker that exits: a spare, started beforehand
 *     ({@code --spare-processes}), at once, or else a new one after a backoff
 *     ({@link RestartBackoff}); each counted in {@code ricochet_worker_restarts_total};</li>
 * <li>on SIGTERM or SIGINT turns not-ready and sends each worker SIGTERM: each drains as a
 *     single server does (its own --shutdown-delay, then --shutdown-grace); a second signal is
 *     passed on too, cutting the drains short. A worker still running after the delay, the
 *     grace and {@link #EXIT_MARGIN} is killed. The master exits 0 once every worker has
 *     exited 0, 1 if one had to be killed or failed;</li>
 * <li>serves the admin port: {@code /health/*} for the whole, {@code /metrics} gathered from
 *     the workers ({@link WorkersPage}).</li>
 * </ul>
 * Every change of a worker's state happens on one supervisor thread, so its decisions need no
 * lock; waits (a worker's readiness, its exit) happen elsewhere and post their outcome to it.
 */
public final class Master {

    private static final Logger log = LoggerFactory.getLogger(Master.class);
    private static final int EXIT_OK = 0;
    private static final int EXIT_FAILURE = 1;
    /** After a worker's shutdown delay and grace, how long it may take to exit before it is killed. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(10);
    /** How often a starting worker's readiness (a spare's liveness) is asked. */
    private static final Duration POLL = Duration.ofMillis(50);
    /** How long a worker's admin port has to answer the master. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);

    private final ServerConfig config;
    private final WorkerCommand command;
    private final PortReservation echo;
    private final PortReservation prime;
    private final List<Worker> workers;
    private final List<Spare> spares = new ArrayList<>();
    /** Admin ports no process holds: a spare's to come. */
    private final Deque<PortReservation> freeAdminPorts;
    private final RestartBackoff spareBackoff = new RestartBackoff();
    private final Readiness readiness = new Readiness();
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ricochet-supervisor").factory());
    /** Counted down once every worker has been ready, or the master stops before. */
    private final CountDownLatch startedUp = new CountDownLatch(1);
    /** Counted down once the master stops and no worker or spare runs any more. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Read by the polls, written by the supervisor. */
    private volatile boolean stopping;
    /** Spares warm now, for the gauge; written by the supervisor. */
    private volatile int warmSpares;
    private boolean allStarted;
    private int exitCode = EXIT_OK;

    private Master(ServerConfig config, WorkerCommand command, PortReservation echo, PortReservation prime,
            List<Worker> workers, List<PortReservation> spareAdminPorts) {
        this.config = config;
        this.command = command;
        this.echo = echo;
        this.prime = prime;
        this.workers = workers;
        this.freeAdminPorts = new ArrayDeque<>(spareAdminPorts);
    }

    /**
     * Runs the master until it has stopped its workers.
     *
     * @param parsed    the master's command line, whose options the workers share
     * @param mainClass the server's main class, for workers of a JVM started with a class path
     * @return the exit code: 0 once every worker drained and exited 0, 1 otherwise
     */
    public static int run(ServerConfig config, ServerTls tls, ParseResult parsed, String mainClass,
            PrintWriter err) {
        InetAddress bind = config.listeners().bind();
        List<PortReservation> held = new ArrayList<>();
        PortReservation echo;
        PortReservation prime;
        try {
            echo = hold(held, bind, config.listeners().echoPort());
            prime = hold(held, bind, config.listeners().primePort());
        } catch (IOException e) {
            held.forEach(PortReservation::close);
            return cannotListen(err, bind, "ports " + config.listeners().echoPort() + " and "
                    + config.listeners().primePort(), e);
        }
        WorkerMetrics metrics = config.admin().metrics() ? WorkerMetrics.prometheus(config.engine().kind())
                : WorkerMetrics.disabled();
        List<Worker> workers = new ArrayList<>();
        List<PortReservation> spareAdminPorts = new ArrayList<>();
        try {
            for (int i = 0; i < config.processes().workers(); i++) {
                Worker worker = new Worker(i, hold(held, Worker.ADMIN_ADDRESS, 0), metrics.restarts(i),
                        metrics.scrapeErrors(i));
                metrics.bindReady(i, () -> worker.ready);
                workers.add(worker);
            }
            for (int i = 0; i < config.processes().spares(); i++) {
                spareAdminPorts.add(hold(held, Worker.ADMIN_ADDRESS, 0));
            }
        } catch (IOException e) {
            held.forEach(PortReservation::close);
            return cannotListen(err, Worker.ADMIN_ADDRESS, "workers' admin ports", e);
        }
        Master master = new Master(config, WorkerCommand.ofThisProcess(parsed, mainClass), echo, prime,
                List.copyOf(workers), spareAdminPorts);
        metrics.bindSpares(() -> master.warmSpares);
        try {
            return master.superviseUntilStopped(tls, metrics, err);
        } finally {
            held.forEach(PortReservation::close);
            metrics.close();
        }
    }

    private static PortReservation hold(List<PortReservation> held, InetAddress address, int port)
            throws IOException {
        PortReservation reservation = PortReservation.hold(address, port);
        held.add(reservation);
        return reservation;
    }

    private int superviseUntilStopped(ServerTls tls, WorkerMetrics metrics, PrintWriter err) {
        // Signals first: a SIGTERM that arrives while the workers start still stops them.
        Signal.handle(new Signal("TERM"), signal -> supervisor.execute(() -> stop("SIG" + signal.getName())));
        Signal.handle(new Signal("INT"), signal -> supervisor.execute(() -> stop("SIG" + signal.getName())));
        ServerMetrics noAdminMetrics = ServerMetrics.disabled(); // the master counts no TLS handshakes
        AdminServer admin;
        try {
            admin = AdminServer.start(config.admin().bind(), config.admin().port(), tls.forAdmin(noAdminMetrics),
                    new WorkersPage(workers, metrics, ADMIN_TIMEOUT), readiness);
        } catch (Exception e) {
            // Netty rethrows a BindException undeclared.
            supervisor.shutdownNow();
            return cannotListen(err, config.admin().bind(), "admin port " + config.admin().port(), e);
        }
        tls.startReloading(noAdminMetrics);
        log.info("Master on admin {}:{}: starting {} worker processes of engine {}{} for echo on {}:{}, prime on {}:{}",
                config.admin().bind().getHostAddress(), admin.address().getPort(), workers.size(),
                config.engine().kind().cliName(), freeAdminPorts.isEmpty() ? "" : " and " + freeAdminPorts.size()
                        + " spare(s)", config.listeners().bind().getHostAddress(), echo.port(),
                config.listeners().bind().getHostAddress(), prime.port());
        supervisor.execute(() -> {
            workers.forEach(worker -> launch(worker, worker.admin()));
            while (!freeAdminPorts.isEmpty()) {
                launchSpare();
            }
        });
        await(startedUp);
        if (!stopping) {
            log.info("Listening with {} worker processes: echo on {}:{}, prime on {}:{}, admin on {}:{}, engine {}",
                    workers.size(), config.listeners().bind().getHostAddress(), echo.port(),
                    config.listeners().bind().getHostAddress(), prime.port(),
                    config.admin().bind().getHostAddress(), admin.address().getPort(),
                    config.engine().kind().cliName());
        }
        await(stopped);
        supervisor.shutdownNow();
        admin.close();
        noAdminMetrics.close();
        log.info("Stopped: every worker process has exited{}", exitCode == EXIT_OK ? "" : " (not all cleanly: exit 1)");
        return exitCode;
    }

    /** On the supervisor: starts a new process in {@code worker}'s place, on admin port {@code admin}. */
    private void launch(Worker worker, PortReservation admin) {
        if (stopping) {
            return;
        }
        Process process;
        try {
            process = start(String.valueOf(worker.index), admin);
        } catch (IOException e) {
            log.error("Worker {} could not be started: {}", worker.index, e.toString());
            if (!allStarted) {
                fail();
            } else {
                scheduleRestart(worker, worker.backoff.after(Duration.ZERO));
            }
            return;
        }
        boolean restart = worker.started(process, admin);
        if (restart) {
            worker.restarts.increment();
        }
        log.info("{} started{}", worker.describe(), restart ? " in place of the one that exited" : "");
        awaitReady(worker, process);
    }

    /** On the supervisor: starts a spare on a free admin port. */
    private void launchSpare() {
        PortReservation admin = freeAdminPorts.poll();
        if (stopping || admin == null) {
            return;
        }
        Process process;
        try {
            process = start(WorkerRole.SPARE, admin);
        } catch (IOException e) {
            log.error("A spare could not be started: {}", e.toString());
            freeAdminPorts.add(admin);
            scheduleSpare(spareBackoff.after(Duration.ZERO));
            return;
        }
        Spare spare = new Spare(process, admin);
        spares.add(spare);
        log.info("{} started", spare.describe());
        Thread.ofVirtual().name("ricochet-spare-liveness").start(() -> {
            if (poll(process, new InetSocketAddress(Worker.ADMIN_ADDRESS, admin.port()), "/health/live")) {
                supervisor.execute(() -> warmedUp(spare));
            }
        });
    }

    private Process start(String name, PortReservation admin) throws IOException {
        Process process = command.builder(name, echo.port(), prime.port(), admin.port()).start();
        LineForwarder.start("ricochet-worker-" + process.pid() + "-output", process.getInputStream(), System.out);
        process.onExit().thenRun(() -> supervisor.execute(() -> exited(process)));
        return process;
    }

    /** Off the supervisor: asks the worker's readiness until it answers 200, then tells the supervisor. */
    private void awaitReady(Worker worker, Process process) {
        Thread.ofVirtual().name("ricochet-worker-" + worker.index + "-readiness").start(() -> {
            if (poll(process, worker.adminAddress(), "/health/ready")) {
                supervisor.execute(() -> becameReady(worker, process));
            }
        });
    }

    /** Asks {@code path} until it answers 200 (true), or the process exits or the master stops (false). */
    private boolean poll(Process process, InetSocketAddress admin, String path) {
        while (process.isAlive() && !stopping) {
            try {
                if (LoopbackHttp.get(admin, path, ADMIN_TIMEOUT).status() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // Not listening yet: its JVM is still starting.
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return false;
    }

    private void becameReady(Worker worker, Process process) {
        if (worker.process() != process || stopping) {
            return; // gone meanwhile, or too late to matter
        }
        worker.ready = true;
        log.info("{} ready", worker.describe());
        if (!allStarted && workers.stream().allMatch(w -> w.ready)) {
            allStarted = true;
            startedUp.countDown();
        }
        updateReadiness();
    }

    private void warmedUp(Spare spare) {
        if (spares.contains(spare) && !stopping) {
            spare.warm = true;
            countWarmSpares();
            log.info("{} ready to take a worker's place", spare.describe());
        }
    }

    /** On the supervisor: {@code process} exited; whose place it was decides what follows. */
    private void exited(Process process) {
        for (Worker worker : workers) {
            if (worker.process() == process) {
                workerExited(worker, process);
                return;
            }
        }
        for (Spare spare : spares) {
            if (spare.process == process) {
                spareExited(spare);
                return;
            }
        }
    }

    private void workerExited(Worker worker, Process process) {
        String described = worker.describe();
        Duration uptime = worker.exited();
        int code = process.exitValue();
        updateReadiness();
        if (stopping) {
            log.info("{} exited with code {}", described, code);
            if (code != 0) {
                exitCode = EXIT_FAILURE;
            }
            stopIfNoneRuns();
        } else if (!allStarted) {
            log.error("{} exited with code {} before it was ready: stopping the others", described, code);
            fail();
        } else {
            Spare spare = spares.stream().filter(s -> s.warm).findFirst().orElse(null);
            if (spare != null) {
                log.warn("{} exited with code {} after {} ms: {} takes its place", described, code,
                        uptime.toMillis(), spare.describe());
                promote(spare, worker);
                return;
            }
            Duration wait = worker.backoff.after(uptime);
            log.warn("{} exited with code {} after {} ms: starting another in its place in {} ms", described, code,
                    uptime.toMillis(), wait.toMillis());
            scheduleRestart(worker, wait);
        }
    }

    /** Puts {@code spare} in {@code worker}'s place: it binds the ports; the freed admin port gets a new spare. */
    private void promote(Spare spare, Worker worker) {
        spares.remove(spare);
        countWarmSpares();
        freeAdminPorts.add(worker.admin());
        worker.started(spare.process, spare.admin);
        worker.restarts.increment();
        try {
            OutputStream commands = spare.process.getOutputStream();
            commands.write(("serve " + worker.index + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        } catch (IOException e) {
            // It died meanwhile: its exit, now the worker's, brings a replacement as any other.
            log.warn("{} could not be told to serve: {}", spare.describe(), e.toString());
        }
        awaitReady(worker, spare.process);
        launchSpare(); // the next one, while this one binds
    }

    private void spareExited(Spare spare) {
        spares.remove(spare);
        countWarmSpares();
        freeAdminPorts.add(spare.admin);
        int code = spare.process.exitValue();
        if (stopping) {
            log.info("{} exited with code {}", spare.describe(), code);
            stopIfNoneRuns();
            return;
        }
        Duration wait = spareBackoff.after(spare.uptime());
        log.warn("{} exited with code {}: starting another in {} ms", spare.describe(), code, wait.toMillis());
        scheduleSpare(wait);
    }

    private void scheduleRestart(Worker worker, Duration wait) {
        PortReservation admin = worker.admin();
        worker.restartScheduled(supervisor.schedule(() -> launch(worker, admin), wait.toNanos(),
                TimeUnit.NANOSECONDS));
    }

    private void scheduleSpare(Duration wait) {
        supervisor.schedule(this::launchSpare, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void countWarmSpares() {
        warmSpares = (int) spares.stream().filter(s -> s.warm).count();
    }

    /** A worker failed to start: the master cannot serve as asked, and stops with exit 1. */
    private void fail() {
        exitCode = EXIT_FAILURE;
        stop("a worker's failure to start");
    }

    /** On the supervisor: the first call drains every worker, a second one passes the signal on again. */
    private void stop(String reason) {
        List<Process> running = Stream.concat(workers.stream().map(Worker::process),
                spares.stream().map(spare -> spare.process)).filter(p -> p != null).toList();
        if (stopping) {
            log.info("{} received again: passing it on to {} process(es)", reason, running.size());
            running.forEach(p -> p.toHandle().destroy());
            return;
        }
        stopping = true;
        startedUp.countDown();
        updateReadiness();
        workers.forEach(Worker::cancelRestart);
        log.info("{}: stopping {} process(es) (pids {})", reason, running.size(),
                running.stream().map(p -> String.valueOf(p.pid())).collect(Collectors.joining(", ")));
        // SIGTERM: each worker drains as a single server does; a spare, serving nothing, exits.
        running.forEach(p -> p.toHandle().destroy());
        Duration limit = config.shutdown().delay().plus(config.shutdown().grace()).plus(EXIT_MARGIN);
        supervisor.schedule(() -> killRemaining(limit), limit.toNanos(), TimeUnit.NANOSECONDS);
        stopIfNoneRuns();
    }

    private void killRemaining(Duration after) {
        for (Worker worker : workers) {
            if (worker.process() != null) {
                log.error("{} still running {} after the stop began: killing it", worker.describe(), after);
                exitCode = EXIT_FAILURE;
                worker.process().toHandle().destroyForcibly();
            }
        }
        spares.forEach(spare -> spare.process.toHandle().destroyForcibly());
    }

    private void stopIfNoneRuns() {
        if (spares.isEmpty() && workers.stream().allMatch(w -> w.process() == null)) {
            stopped.countDown();
        }
    }

    /**
     * Ready once every worker has been, then as long as one is: the kernel sends new connections
     * only to workers that listen, so one being replaced takes nothing from the others.
     */
    private void updateReadiness() {
        if (!stopping && allStarted && workers.stream().anyMatch(w -> w.ready)) {
            readiness.ready();
        } else {
            readiness.notReady();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int cannotListen(PrintWriter err, InetAddress bind, String what, Exception e) {
        log.error("Cannot listen on {} {}: {}", bind.getHostAddress(), what, e.toString());
        err.println("ricochet server: cannot listen on " + bind.getHostAddress() + " " + what + ": " + e.getMessage());
        return EXIT_FAILURE;
    }
}
