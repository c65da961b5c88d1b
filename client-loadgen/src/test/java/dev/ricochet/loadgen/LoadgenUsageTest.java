package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad usage is refused before the first connection: exit 2, one line on stderr, no report. The
 * target is a port nothing listens on, so a run that was not refused would end otherwise: its
 * connects refused, exit 1, after its short measurement.
 */
class LoadgenUsageTest {

    /** sysfs takes no new file, not even from root; read-only where containers mount it so. */
    private static final Path UNWRITABLE = Path.of("/sys/ricochet-loadgen-test");

    @TempDir
    Path work;

    private static Loadgen.Outcome loadgen(String... args) {
        List<String> all = new ArrayList<>(List.of("--target", "127.0.0.1:1", "--connections", "1",
                "--warmup", "0s", "--duration", "300ms"));
        all.addAll(List.of(args));
        return Loadgen.runExactly(all.toArray(String[]::new));
    }

    /** Runs the arguments written in {@code args}, separated by spaces; {work} stands for the test's folder. */
    private Loadgen.Outcome loadgenLine(String args) {
        return loadgen(args.replace("{work}", work.toString()).split(" "));
    }

    private static void assertRefused(Loadgen.Outcome o, String message) {
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(2);
        assertThat(o.err()).as(o.toString()).startsWith("ricochet loadgen: " + message).hasLineCount(1);
        assertThat(o.out()).as("no run, no report").isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"--json, folder", "--json, missing folder", "--json, unwritable",
            "--hdr-log, folder", "--hdr-log, missing folder", "--hdr-log, unwritable",
            "--html, folder", "--html, missing folder", "--html, unwritable"})
    void refusesAReportFileItCannotWriteBeforeConnecting(String option, String kind) {
        Path file = switch (kind) {
            case "folder" -> work;
            case "missing folder" -> work.resolve("missing").resolve("report");
            default -> UNWRITABLE;
        };
        String reason = switch (kind) {
            case "folder" -> "it is a folder";
            case "missing folder" -> "no folder " + work.resolve("missing");
            default -> ""; // permission denied, or a read-only file system
        };
        assertRefused(loadgen(option, file.toString()), option + ": " + file + " (cannot write: " + reason);
    }

    @Test
    void refusesAPageOnStandardOutput() {
        assertRefused(loadgen("--html", "-"), "--html: - (expected: a file; a page on standard output would run"
                + " into the text report)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--json", "--hdr-log"})
    void refusesAPageInTheFileOfAnotherReport(String other) {
        Path file = work.resolve("report");
        assertRefused(loadgen(other, file.toString(), "--html", work.resolve(".").resolve("report").toString()),
                "--html: " + work.resolve(".").resolve("report") + " (expected: a file of its own; " + other
                        + " writes " + file + ")");
        assertThat(work).as("nothing written").isEmptyDirectory();
    }

    @Test
    void refusesAStartTimeThatIsNotAnInstantOrNotAheadWithinADay() {
        assertRefused(loadgen("--start-at", "tomorrow"), "Invalid value for option '--start-at': 'tomorrow'"
                + " (expected: an ISO-8601 instant in UTC, such as 2026-12-07T16:40:00Z)");
        assertRefused(loadgen("--start-at", "2020-01-01T00:00:00Z"),
                "--start-at: 2020-01-01T00:00:00Z (expected: an instant ahead of now, ");
        String nextWeek = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS).toString();
        assertRefused(loadgen("--start-at", nextWeek), "--start-at: " + nextWeek + " (expected: an instant ahead");
    }

    @Test
    void leavesNoFileBehindWhenItChecksOneAndRefusesTheRun() {
        Path report = work.resolve("report.json");
        Path log = work.resolve("missing").resolve("run.hlog");
        assertRefused(loadgen("--json", report.toString(), "--hdr-log", log.toString()), "--hdr-log: " + log);
        assertThat(work).as("the JSON report's check, undone").isEmptyDirectory();
    }

    @Test
    void leavesAnExistingReportFileAsItWasWhenItRefusesTheRun() throws IOException {
        Path report = Files.writeString(work.resolve("report.json"), "{\"from\": \"the last run\"}");
        Path log = work.resolve("missing").resolve("run.hlog");
        assertRefused(loadgen("--json", report.toString(), "--hdr-log", log.toString()), "--hdr-log: " + log);
        assertThat(report).hasContent("{\"from\": \"the last run\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --workload idle           | --message-size      | 5                | --workload idle
            --workload idle           | --numbers           | 6d               | --workload idle
            --workload idle           | --seed              | 7                | --workload idle
            --workload idle           | --split             | 2                | --workload idle
            --workload idle           | --pipeline          | 4                | --workload idle
            --workload idle           | --rate              | 1000             | --workload idle
            --workload idle           | --arrivals          | poisson          | --workload idle
            --workload idle           | --timeout           | 1s               | --workload idle
            --workload idle           | --hdr-log           | {work}/idle.hlog | --workload idle
            --workload idle           | --max-shed-rate     | 1                | --workload idle
            --workload idle           | --min-achieved-rate | 0.5              | --workload idle
            --workload prime          | --message-size      | 5                | --workload prime
            --workload echo           | --numbers           | 6d               | --workload echo
            --workload echo           | --seed              | 7                | --workload echo
            --workload echo           | --max-shed-rate     | 1                | --workload echo
            --workload echo           | --min-achieved-rate | 0.5              | a closed loop
            --workload prime --rate 0 | --min-achieved-rate | 0.5              | a closed loop
            --workload echo           | --arrivals          | poisson          | a closed loop
            --workload prime          | --arrivals          | uniform          | a closed loop
            --workload echo           | --send-tick         | 1ms              | a closed loop
            --workload idle           | --send-tick         | 1ms              | --workload idle
            """)
    void refusesAnOptionTheRunHasNoUseFor(String run, String option, String value, String refusedFor) {
        Loadgen.Outcome o = loadgenLine(run + " " + option + " " + value);
        assertRefused(o, option + ": " + value.replace("{work}", work.toString()) + " does not apply to " + refusedFor
                + " (");
        assertThat(work).as("nothing written").isEmptyDirectory();
    }

    /** A run with a rate profile: the profile sets the measurement's length, so no --duration here. */
    private static Loadgen.Outcome withProfile(String... args) {
        List<String> all = new ArrayList<>(List.of("--target", "127.0.0.1:1", "--connections", "1", "--warmup", "0s"));
        all.addAll(List.of(args));
        return Loadgen.runExactly(all.toArray(String[]::new));
    }

    @Test
    void refusesARateProfileBesideTheRateOrTheDurationItSets() {
        assertRefused(withProfile("--rate-profile", "100:1s", "--rate", "100"),
                "--rate-profile and --rate 100 (expected: one of them; the profile sets the rate)");
        assertRefused(withProfile("--rate-profile", "100:1s,200..300:500ms", "--duration", "1s"),
                "--rate-profile and --duration 1s (expected: one of them; the measurement lasts the profile, 1.5s)");
    }

    @Test
    void refusesABadRateProfileNamingTheBadSegment() {
        assertRefused(withProfile("--rate-profile", "100:1s,fast:2s"), "--rate-profile: segment 2, 'fast:2s': rate"
                + " 'fast' (expected: a number of requests per second, >= 0)");
        assertRefused(withProfile("--rate-profile", "0:1s"), "--rate-profile: '0:1s' plans no request");
        assertRefused(withProfile("--workload", "idle", "--rate-profile", "100:1s"),
                "--rate-profile: 100:1s does not apply to --workload idle (the idle workload sends no requests)");
    }

    @Test
    void refusesArrivalsItDoesNotKnow() {
        assertRefused(withProfile("--rate", "10", "--arrivals", "bursty"),
                "--arrivals: bursty (expected: uniform or poisson)");
    }

    @Test
    void takesTheSeedForPoissonArrivalsOfAnyWorkloadThatSends() {
        Loadgen.Outcome o = withProfile("--rate-profile", "100:200ms,0..50:100ms", "--arrivals", "poisson",
                "--seed", "9", "--min-achieved-rate", "0.5");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
        assertThat(o.err()).as(o.toString()).contains("FAILED (1 of 1 connections never came up");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --find-rate p95<5ms                                     | --find-rate: 'p95<5ms': percentile 'p95' (expected: p50, p90, p99, p99.9, p99.99 or max)
            --find-rate p99                                         | --find-rate: 'p99' has no '<' (expected: PERCENTILE<DURATION
            --find-rate p99<5                                       | --find-rate: 'p99<5': bound '5' (expected: a number with its unit, us, ms or s, such as 5ms)
            --find-rate p99<5ms --rate 100                          | --find-rate and --rate 100 (expected: one of them; the search sets each step's rate)
            --find-rate p99<5ms --rate-profile 100:1s               | --find-rate and --rate-profile 100:1s (expected: one of them; the search sets each step's rate)
            --find-rate p99<5ms --shards 2                          | --find-rate and --shards 2 (expected: one of them; a search runs in one process
            --find-rate p99<5ms --max-error-rate 0.1                | --find-rate and --max-error-rate 0.1 (expected: one of them; a step holds only when no error happened
            --find-rate p99<5ms --workload prime --max-shed-rate 1  | --find-rate and --max-shed-rate 1 (expected: one of them; a step holds only when none of its requests was shed)
            --find-rate p99<5ms --workload idle                     | --find-rate: p99<5ms does not apply to --workload idle (the idle workload sends no requests)
            --find-rate-from 500                                    | --find-rate-from: 500 applies only with --find-rate
            --rate 100 --find-rate-max-steps 5                      | --find-rate-max-steps: 5 applies only with --find-rate
            --find-rate p99<5ms --find-rate-precision 0.9           | --find-rate-precision: 0.9 (expected: 0.001..0.5)
            --find-rate p99<5ms --find-rate-max-steps 0             | --find-rate-max-steps: 0 (expected: 1..30)
            --find-rate p99<5ms --find-rate-from 0                  | --find-rate-from: 0 (expected: 1..100000000)
            """)
    void refusesASearchItCannotRunAsAsked(String args, String message) {
        assertRefused(loadgenLine(args), message);
    }

    @Test
    void refusesASearchWithAStartTime() {
        String soon = Instant.now().plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS).toString();
        assertRefused(loadgen("--find-rate", "p99<5ms", "--start-at", soon), "--find-rate and --start-at " + soon
                + " (expected: one of them; the search starts once the connect phase is over)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --tls-ca {work}/ca.pem                                      | --tls-ca: {work}/ca.pem applies only with --tls
            --tls-insecure                                              | --tls-insecure applies only with --tls
            --tls-provider jdk                                          | --tls-provider: jdk applies only with --tls
            --tls --tls-ca {work}/ca.pem --tls-insecure                 | --tls-ca {work}/ca.pem and --tls-insecure (expected: one of them
            --tls --tls-ca {work}/missing.pem                           | --tls-ca: {work}/missing.pem (cannot read it:
            --tls --tls-ca {work}/empty.pem                             | --tls-ca: {work}/empty.pem (expected: PEM certificates;
            --tls --tls-cert {work}/empty.pem                           | --tls-cert {work}/empty.pem without --tls-key (expected: both
            --tls --tls-insecure --tls-cert {work}/empty.pem --tls-key {work}/missing.pem | --tls-key: {work}/missing.pem (cannot read it:
            --tls --tls-insecure --tls-cert {work}/empty.pem --tls-key {work}/empty.pem   | --tls-cert and --tls-key: {work}/empty.pem and {work}/empty.pem (expected: a PEM certificate and its PEM (PKCS#8) private key;
            --tls --tls-provider boring                                 | --tls-provider: boring (expected: auto, openssl or jdk)
            """)
    void refusesTlsOptionsThatCannotWork(String args, String message) throws IOException {
        Files.writeString(work.resolve("empty.pem"), "");
        assertRefused(loadgenLine(args), message.replace("{work}", work.toString()));
    }

    /** A churn run: it opens its own connections, so no --connections here. */
    private static Loadgen.Outcome churn(String... args) {
        List<String> all = new ArrayList<>(List.of("--target", "127.0.0.1:1", "--warmup", "0s", "--duration",
                "300ms"));
        all.addAll(List.of(args));
        return Loadgen.runExactly(all.toArray(String[]::new));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --churn 10 --connections 5          | --churn and --connections 5 (expected: one of them; churn opens a connection for each planned connect)
            --churn 10 --rate 100               | --churn and --rate 100 (expected: one of them;
            --churn 10 --find-rate p99<5ms      | --churn and --find-rate p99<5ms (expected: one of them;
            --churn 10 --pipeline 2             | --churn and --pipeline 2 (expected: one of them; each churn connection sends one request)
            --churn 10 --shards 2               | --churn and --shards 2 (expected: one of them; churn runs in one process)
            --churn 10 --workload prime         | --churn and --workload prime (expected: echo or idle;
            --churn 10 --send-tick 1ms          | --send-tick: 1ms does not apply to a closed loop
            --churn 0                           | --churn: 0 (expected: 1..1000000)
            """)
    void refusesChurnBesideOptionsOfAnotherLoad(String args, String message) {
        assertRefused(churn(args.split(" ")), message);
    }

    @Test
    void takesChurnOverTlsAndFailsItsConnectsToAClosedPort() {
        Loadgen.Outcome o = churn("--churn", "20", "--tls", "--tls-insecure", "--connect-timeout", "1s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
        assertThat(o.err()).as(o.toString()).contains("FAILED (no connection planned in the measurement was done");
        assertThat(o.out()).contains("failed connects (refused ");
    }

    /** Each run fails its connects (exit 1): none is refused as bad usage, defaults included. */
    @ParameterizedTest
    @ValueSource(strings = {
            "--workload echo --message-size 5 --split 2 --pipeline 2 --timeout 1s --hdr-log {work}/echo.hlog",
            "--workload echo --rate 100 --pipeline 2 --min-achieved-rate 0.5",
            "--workload prime --numbers 6d --seed 7 --split 2 --pipeline 2 --timeout 1s --max-shed-rate 1",
            "--workload prime --rate 100 --min-achieved-rate 0.5 --hdr-log {work}/prime.hlog",
            "--workload prime --find-rate p99.9<20ms --find-rate-from 10 --find-rate-precision 0.1"
                    + " --find-rate-max-steps 1 --arrivals poisson --min-achieved-rate 0.5 --timeout 1s",
            "--workload idle",
            "--workload idle --connect-timeout 1s --connect-rate 10 --max-error-rate 1 --json {work}/idle.json"})
    void takesEveryOptionWhereItApplies(String args) {
        Loadgen.Outcome o = loadgenLine(args);
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
        assertThat(o.err()).as(o.toString()).contains("FAILED (1 of 1 connections never came up");
    }
}
