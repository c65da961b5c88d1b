package dev.ricochet.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ricochet.loadgen.run.LoadRun;
import dev.ricochet.loadgen.run.LoadSpec;
import dev.ricochet.loadgen.run.RunResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {

    private final List<String> calls = new ArrayList<>();

    @Test
    void tellsEachReportInTheOrderGiven() throws IOException {
        try (Reports reports = new Reports(List.of(recording("a"), recording("b")))) {
            reports.interval(null);
            reports.end(null, null);
        }
        assertThat(calls).containsExactly("a interval", "b interval", "a end", "b end", "a close", "b close");
    }

    @Test
    void closesEveryReportWhenOneFailsTo() {
        Report failing = new Report() {
            @Override
            public void close() throws IOException {
                throw new IOException("disk full");
            }
        };
        Reports reports = new Reports(List.of(failing, recording("b")));
        assertThatThrownBy(reports::close).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(calls).containsExactly("b close");
    }

    private Report recording(String name) {
        return new Report() {
            @Override
            public void interval(LoadRun.Interval interval) {
                calls.add(name + " interval");
            }

            @Override
            public void end(LoadSpec spec, RunResult result) {
                calls.add(name + " end");
            }

            @Override
            public void close() {
                calls.add(name + " close");
            }
        };
    }
}
