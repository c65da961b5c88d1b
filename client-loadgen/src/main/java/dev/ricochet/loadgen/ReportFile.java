package dev.ricochet.loadgen;

import dev.ricochet.loadgen.report.JsonReport;
import dev.ricochet.loadgen.report.html.ChartRuntime;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * A file a report is written to ({@code --json}, {@code --hdr-log}, {@code --html}), checked before the first
 * connection: the JSON report is written only once the load is over, so a path it cannot take
 * would otherwise cost the whole run.
 */
public final class ReportFile {

    private ReportFile() {
    }

    /**
     * @param option the option that names the file, for the message
     * @param file   the file, or null when the option is not given (nothing to check)
     * @throws IllegalArgumentException naming the option, the file and the reason, when the
     *                                  file cannot be written
     */
    public static void requireWritable(String option, Path file) {
        if (file != null) {
            problem(file).ifPresent(problem -> {
                throw new IllegalArgumentException(option + ": " + file + " (cannot write: " + problem + ")");
            });
        }
    }

    /** {@code --json}: a file, checked as {@link #requireWritable} does, or {@code -}, standard output. */
    public static void requireJsonWritable(Path file) {
        if (file != null && !JsonReport.isStandardOutput(file)) {
            requireWritable("--json", file);
        }
    }

    /**
     * {@code --html}: a file, checked as {@link #requireWritable} does; never standard output (a
     * page amid the text report is of no use to anyone), nor the file of another report option
     * (one would overwrite the other); and only where the charts can be drawn ({@link #requireDrawable}).
     *
     * @param others the other report options' files, by option name; null for one not given
     */
    public static void requirePageWritable(Path page, Map<String, Path> others) {
        if (page == null) {
            return;
        }
        if (JsonReport.isStandardOutput(page)) {
            throw new IllegalArgumentException("--html: " + page + " (expected: a file; a page on standard output"
                    + " would run into the text report)");
        }
        others.forEach((option, other) -> {
            if (other != null && same(page, other)) {
                throw new IllegalArgumentException("--html: " + page + " (expected: a file of its own; " + option
                        + " writes " + other + ")");
            }
        });
        requireWritable("--html", page);
        requireDrawable("--html", page);
    }

    /**
     * Whether a page, named {@code name} in messages, can be drawn here: only on a Java runtime
     * with the {@code java.desktop} module (AWT), which a minimal runtime (jlink) may leave out,
     * and fonts to measure its charts' labels with ({@link ChartRuntime}).
     *
     * @throws IllegalArgumentException naming the page and why its charts cannot be drawn
     */
    public static void requireDrawable(String name, Path page) {
        if (ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
            throw new IllegalArgumentException(name + ": " + page + " (cannot draw its charts: this Java runtime has"
                    + " no java.desktop module, whose AWT draws them; a full JDK or JRE has it)");
        }
        String problem = ChartRuntime.problem();
        if (problem != null) {
            throw new IllegalArgumentException(name + ": " + page + " (cannot draw its charts: " + problem + ")");
        }
    }

    private static boolean same(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Why {@code file} cannot be written (empty when it can), found by opening it for writing, as
     * the report will: permission bits do not tell (root writes anywhere but on a read-only mount; ACLs, pseudo
     * file systems). An existing file is opened without truncating it, so it stays as it was; a
     * file the check creates (through a dangling link: the link's target) is deleted at once,
     * so that a run refused afterwards leaves nothing behind.
     */
    public static Optional<String> problem(Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return Optional.of("it is a folder");
        }
        Path folder = absolute.getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            return Optional.of(Files.exists(folder) ? folder + " is not a folder" : "no folder " + folder);
        }
        boolean existed = Files.exists(absolute);
        try {
            FileChannel.open(absolute, StandardOpenOption.WRITE, StandardOpenOption.CREATE).close();
            if (!existed) {
                Files.delete(absolute.toRealPath());
            }
            return Optional.empty();
        } catch (AccessDeniedException e) {
            return Optional.of("permission denied");
        } catch (NoSuchFileException e) {
            return Optional.of("no such file or folder");
        } catch (FileSystemException e) {
            return Optional.of(e.getReason() != null ? e.getReason() : e.toString());
        } catch (IOException e) {
            return Optional.of(e.toString());
        }
    }
}
