package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./ricochet launcher's JDK discovery and usage errors (it needs no build for these). */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "ricochet").toAbsolutePath().normalize();
    /** The JDK running this test: >= 21, since the build enforces it. */
    private static final Path THIS_JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    static Path tools;

    record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * A PATH with only the tools the launcher uses and no java or javac, so that the install
     * folders are really searched whatever this machine has in /usr/bin.
     */
    @BeforeAll
    static void linkToolsWithoutJava() throws IOException {
        for (String tool : List.of("awk", "dirname", "readlink", "cat", "grep", "find", "cut", "tail", "env")) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                Path real = Path.of(dir, tool);
                if (Files.isExecutable(real) && !Files.exists(tools.resolve(tool))) {
                    Files.createSymbolicLink(tools.resolve(tool), real);
                }
            }
        }
    }

    private static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add("/bin/bash");
        builder.command().add(LAUNCHER.toString());
        builder.command().addAll(List.of(args));
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", tools.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err);
    }

    @Test
    void usesJavaHomeWhenItIsRecentEnough() throws Exception {
        Result result = run(Map.of("JAVA_HOME", THIS_JDK.toString(), "RICOCHET_JDK_DIRS", "/nonexistent"), "jdk");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith(THIS_JDK.toString());
    }

    @Test
    void findsAJdkInTheInstallFoldersWhenJavaHomeIsUnset() throws Exception {
        Result result = run(Map.of("RICOCHET_JDK_DIRS", "/nonexistent " + THIS_JDK.getParent()), "jdk");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).startsWith(THIS_JDK.getParent().toString()).contains("(Java ");
    }

    @Test
    void saysWhatToInstallWhenNoJdkIsFound() throws Exception {
        Result result = run(Map.of("JAVA_HOME", "/nonexistent", "RICOCHET_JDK_DIRS", "/nonexistent"), "jdk");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("no JDK 21 or newer found").contains("Install one").contains("JAVA_HOME");
    }

    @Test
    void rejectsAnUnknownCommandWithExitCodeTwo() throws Exception {
        Result result = run(Map.of(), "serve");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("unknown command 'serve'").contains("Usage: ./ricochet");
    }
}
