package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ./ricochet launcher's JDK discovery and usage errors (it needs no build for these). */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "ricochet").toAbsolutePath().normalize();
    /** The JDK running this test: >= 21, since the build enforces it. */
    private static final Path THIS_JDK = Path.of(System.getProperty("java.home"));

    record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add("bash");
        builder.command().add(LAUNCHER.toString());
        builder.command().addAll(java.util.List.of(args));
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", "/usr/bin:/bin");
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
        assertThat(result.stdout()).contains("(Java ");
    }

    @Test
    void saysWhatToInstallWhenNoJdkIsFound() throws Exception {
        Result result = run(Map.of("JAVA_HOME", "/nonexistent", "PATH", "/nonexistent", "RICOCHET_JDK_DIRS", "/nonexistent"), "jdk");
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
