package dev.ricochet.loadgen.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON reports in one file, read back as trees: a report written by {@code --json FILE}, or
 * a log that carries them after their text (a pod's log, with {@code --json -}). A log may hold
 * several: each report starts at the beginning of a line with <code>{</code>, as the load
 * generator writes it, and no line of the text report or of the progress lines does. Read by
 * {@code ricochet loadgen merge} (a shard's reports) and {@code ricochet loadgen html} (one run's).
 */
public final class ReportTrees {

    /** Where a report starts in a log: a line that starts with an opening brace. */
    private static final Pattern REPORT_START = Pattern.compile("^\\{", Pattern.MULTILINE);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One report of a file.
     *
     * @param source where it was read, for messages: the file, and the report's line in it when
     *               the file holds several
     * @param tree   the report, as the JSON has it
     */
    public record Found(String source, JsonNode tree) {
    }

    private ReportTrees() {
    }

    /**
     * @return the file's reports, in file order; at least one
     * @throws IllegalArgumentException when the file cannot be read, holds no report, or a report
     *                                  in it is not whole JSON (the message names the file, and
     *                                  the report's line)
     */
    public static List<Found> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return parse(file.toString(), text);
    }

    /**
     * The reports in {@code text}, read from {@code file}.
     *
     * @throws IllegalArgumentException as {@link #read} does
     */
    public static List<Found> parse(String file, String text) {
        List<JsonNode> reports = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        Matcher start = REPORT_START.matcher(text);
        int from = 0;
        int line = 1;
        int lineCountedTo = 0;
        while (from < text.length() && start.find(from)) {
            line += newlines(text, lineCountedTo, start.start());
            lineCountedTo = start.start();
            // Read in place: neither the text before the report nor the report is copied.
            StringReader rest = new StringReader(text);
            try (JsonParser parser = MAPPER.createParser(rest)) {
                rest.skip(start.start());
                reports.add(parser.readValueAsTree());
                from = start.start() + (int) parser.currentLocation().getCharOffset();
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + " line " + line + ": a report that is not whole JSON ("
                        + e.getOriginalMessage() + ")");
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
            }
            lines.add(line);
        }
        if (reports.isEmpty()) {
            throw new IllegalArgumentException(file + ": no report in it (expected what --json writes, or a log"
                    + " that carries it, written by --json -)");
        }
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            found.add(new Found(reports.size() == 1 ? file : file + " line " + lines.get(i), reports.get(i)));
        }
        return found;
    }

    private static int newlines(String text, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        return count;
    }
}
