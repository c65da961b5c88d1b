package dev.ricochet.loadgen.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Where a run's finished report goes: a JSON file ({@link JsonReport}), a page. Every sink is
 * handed the same tree ({@link RunDocument}), once, when the run is over, so that every figure
 * a sink shows is one the JSON holds.
 */
public interface ReportSink {

    /**
     * Writes the report.
     *
     * @param report the whole report, as the JSON has it; not to be changed (the other sinks
     *               read it after this one)
     */
    void write(JsonNode report) throws IOException;
}
