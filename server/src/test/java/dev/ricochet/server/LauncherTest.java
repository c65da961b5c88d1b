package dev.ricochet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.testing.PrintJvmOptions;
import dev.ricochet.server.testing.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./ricochet launcher's JDK discovery, usage errors and the server's JVM options (no build needed). */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "ricochet").toAbsolutePath().normalize();
    /** The JDK running this test: >= 21, since the build enforces it. */
    private static final Path THIS_JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    static Path tools;

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

    private static ProcessResult run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(LAUNCHER, env, args);
    }

    private static ProcessResult run(Path launcher, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add("/bin/bash");
        builder.command().add(launcher.toString());
        builder.command().addAll(List.of(args));
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", tools.toString());
        builder.environment().putAll(env);
        return ProcessResult.run(builder);
    }

    @Test
    void usesJavaHomeWhenItIsRecentEnough() throws Exception {
        ProcessResult result = run(Map.of("JAVA_HOME", THIS_JDK.toString(), "RICOCHET_JDK_DIRS", "/nonexistent"), "jdk");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith(THIS_JDK.toString());
    }

    @Test
    void findsAJdkInTheInstallFoldersWhenJavaHomeIsUnset() throws Exception {
        ProcessResult result = run(Map.of("RICOCHET_JDK_DIRS", "/nonexistent " + THIS_JDK.getParent()), "jdk");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).startsWith(THIS_JDK.getParent().toString()).contains("(Java ");
    }

    @Test
    void saysWhatToInstallWhenNoJdkIsFound() throws Exception {
        ProcessResult result = run(Map.of("JAVA_HOME", "/nonexistent", "RICOCHET_JDK_DIRS", "/nonexistent"), "jdk");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("no JDK 21 or newer found").contains("Install one").contains("JAVA_HOME");
    }

    /**
     * A copy of the launcher beside a stand-in server jar that prints the JVM options it got
     * (its manifest's class path is this module's test classes), newer than the sources so
     * that nothing is built.
     */
    private static Path launcherWithStandInServer(Path root) throws IOException {
        Files.copy(LAUNCHER, root.resolve("ricochet"));
        Files.writeString(root.resolve("pom.xml"), "");
        Files.createDirectories(root.resolve("server/src/main"));
        Files.writeString(root.resolve("server/pom.xml"), "");
        Path jar = Files.createDirectories(root.resolve("server/target")).resolve("ricochet-server.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PrintJvmOptions.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                Path.of("target", "test-classes").toAbsolutePath().toUri().toString());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        return root.resolve("ricochet");
    }

    private static ProcessResult runServer(Path launcher, String javaOpts) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", THIS_JDK.toString(), "RICOCHET_NO_BUILD", "1"));
        if (javaOpts != null) {
            env.put("JAVA_OPTS", javaOpts);
        }
        return run(launcher, env, "server");
    }

    @Test
    void startsTheServerOnG1WithSmallRegionsAndItsYoungGenerationCapped(@TempDir Path root) throws Exception {
        ProcessResult result = runServer(launcherWithStandInServer(root), null);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("-XX:+UseG1GC", "-XX:G1HeapRegionSize=1m", "-XX:MaxNewSize=32m",
                "collector G1 Young Generation", "G1 region bytes 1048576");
    }

    @Test
    void aCollectorChosenInJavaOptsReplacesG1(@TempDir Path root) throws Exception {
        ProcessResult result = runServer(launcherWithStandInServer(root), "-XX:+UseSerialGC -Xmx256m");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("-XX:+UseSerialGC", "-XX:MaxNewSize=32m", "-Xmx256m")
                .doesNotContain("UseG1GC").doesNotContain("-XX:G1HeapRegionSize");
    }

    @Test
    void rejectsAnUnknownCommandWithExitCodeTwo() throws Exception {
        ProcessResult result = run(Map.of(), "serve");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("unknown command 'serve'").contains("Usage: ./ricochet");
    }
}
