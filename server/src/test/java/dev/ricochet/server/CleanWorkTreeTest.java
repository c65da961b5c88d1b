package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.testing.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test run leaves the work tree as it found it: the deployment checks keep their results
 * under target/ unless a run is made to publish them (deploy/lib/results.sh), and CI fails a
 * run that changed the tree (.ci/run). Each is run for real in a scratch tree.
 */
class CleanWorkTreeTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path RESULTS_LIB = REPO.resolve("deploy/lib/results.sh");
    private static final Path CI_RUN = REPO.resolve(".ci/run");

    @TempDir
    Path tree;

    @Test
    void keepsACheckResultUnderTargetWhenTheRunDoesNotPublish() throws Exception {
        Path committed = write("deploy/results/container-test.txt", "the published result\n");
        ProcessResult result = saveResult("no");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("target/deploy/container-test.txt\n");
        assertThat(tree.resolve("target/deploy/container-test.txt")).hasContent("a new result");
        assertThat(committed).hasContent("the published result");
    }

    @Test
    void replacesTheCommittedResultWhenTheRunPublishes() throws Exception {
        Path committed = write("deploy/results/container-test.txt", "the published result\n");
        ProcessResult result = saveResult("publish");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(tree.resolve("target/deploy/container-test.txt")).hasContent("a new result");
        assertThat(committed).hasContent("a new result");
    }

    @Test
    void ciFailsATestRunThatRewritesATrackedFile() throws Exception {
        ProcessResult result = ci("echo rewritten > deploy/results/container-test.txt");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("the test run changed the work tree")
                .contains("M deploy/results/container-test.txt");
    }

    @Test
    void ciFailsATestRunThatLeavesAFileGitDoesNotIgnore() throws Exception {
        ProcessResult result = ci("echo output > report.txt");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("?? report.txt");
    }

    @Test
    void ciPassesATestRunThatWritesOnlyUnderTarget() throws Exception {
        ProcessResult result = ci("mkdir -p target/deploy && echo output > target/deploy/container-test.txt");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    @Test
    void ciFailsWhenTheTestsFail() throws Exception {
        assertThat(ci("exit 3").exitCode()).isEqualTo(3);
    }

    /** Runs save_result of deploy/lib/results.sh with this test's tree as the repository. */
    private ProcessResult saveResult(String publish) throws Exception {
        return run(List.of("bash", "-c",
                "ROOT=\"$1\"; source \"$2\" && echo 'a new result' | save_result container-test.txt \"$3\"",
                "bash", tree.toString(), RESULTS_LIB.toString(), publish));
    }

    /**
     * Runs .ci/run in a committed git tree whose launcher, in place of the tests, runs the
     * given shell commands in the tree.
     */
    private ProcessResult ci(String testRun) throws Exception {
        write(".ci/run", Files.readString(CI_RUN));
        write("ricochet", "#!/usr/bin/env bash\ncd \"$(dirname \"$0\")\"\n[[ \"$1\" == test ]] || exit 2\n"
                + testRun + "\n");
        for (String script : List.of(".ci/run", "ricochet")) {
            Files.setPosixFilePermissions(tree.resolve(script), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        write(".gitignore", "target/\n");
        write("deploy/results/container-test.txt", "the published result\n");
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "tree");
        return run(List.of("bash", tree.resolve(".ci/run").toString()));
    }

    private void git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", tree.toString()));
        command.addAll(List.of(args));
        ProcessResult result = run(command);
        assertThat(result.exitCode()).as("git %s: %s", String.join(" ", args), result.stderr()).isZero();
    }

    private Path write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private ProcessResult run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(tree.toFile());
        return ProcessResult.run(builder);
    }
}
