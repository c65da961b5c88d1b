package dev.ricochet.loadgen.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code --json}: the report's tree ({@link RunDocument}) written as JSON, indented, to a file or to standard output. */
public final class JsonReport implements ReportSink {

    /** The file name that means standard output, after the text report (a pod's log). */
    public static final String STANDARD_OUTPUT = "-";

    private final Path file;
    private final PrintStream out;

    /**
     * @param file where the report goes, written whole once the run is over; {@code -}: {@code out}
     * @param out  standard output
     */
    public JsonReport(Path file, PrintStream out) {
        this.file = file;
        this.out = out;
    }

    /** Whether {@code file} names standard output rather than a file. */
    public static boolean isStandardOutput(Path file) {
        return file.toString().equals(STANDARD_OUTPUT);
    }

    @Override
    public void write(JsonNode report) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (isStandardOutput(file)) {
            // Standard output stays open for whatever follows.
            mapper.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, report);
            out.println();
            out.flush();
        } else {
            mapper.writeValue(file.toFile(), report);
        }
    }
}
