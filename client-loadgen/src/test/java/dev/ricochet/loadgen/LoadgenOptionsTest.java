package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The options as the JSON report echoes them: every run option, in declaration order, with its value as given or defaulted. */
class LoadgenOptionsTest {

    private static String optionsOf(String... args) throws JsonProcessingException {
        LoadgenCommand command = new LoadgenCommand();
        LoadgenCommand.newCommandLine(command).parseArgs(args);
        return new ObjectMapper().writeValueAsString(command.options());
    }

    @Test
    void echoesEveryDefaultAndLeavesUnsetOptionalOnesNull() throws JsonProcessingException {
        assertThat(optionsOf("--target", "localhost:9090")).isEqualTo("{\"target\":\"localhost:9090\","
                + "\"workload\":\"echo\",\"connections\":100,\"connect_rate\":5000,\"connect_timeout\":\"PT5S\","
                + "\"duration\":\"PT30S\",\"warmup\":\"PT2S\",\"source_addresses\":null,\"io_threads\":null,"
                + "\"transport\":\"auto\",\"message_size\":64,\"split\":1,\"numbers\":\"12d\",\"pipeline\":1,"
                + "\"rate\":0.0,\"arrivals\":\"uniform\",\"send_tick\":\"PT0.00025S\",\"timeout\":\"PT10S\",\"max_error_rate\":0.0,\"max_shed_rate\":0.0,"
                + "\"min_achieved_rate\":0.95,\"seed\":1}");
    }

    @Test
    void echoesGivenValuesAsTypedButDurationsInIsoFormAndLeavesOutTheReportFiles() throws JsonProcessingException {
        assertThat(optionsOf("--target", "10.0.0.1:8070", "--workload", "PRIME", "--connections", "7",
                "--connect-rate", "9", "--connect-timeout", "1500ms", "--duration", "2m", "--warmup", "0s",
                "--source-addresses", "127.0.0.1-127.0.0.2", "--io-threads", "3", "--transport", "nio",
                "--message-size", "5", "--split", "2", "--numbers", "6d:95,19d:5", "--pipeline", "4",
                "--rate", "100.5", "--timeout", "250ms", "--json", "report.json", "--hdr-log", "run.hlog",
                "--max-error-rate", "0.25", "--max-shed-rate", "1", "--min-achieved-rate", "0.5", "--seed", "42"))
                .isEqualTo("{\"target\":\"10.0.0.1:8070\",\"workload\":\"PRIME\",\"connections\":7,"
                        + "\"connect_rate\":9,\"connect_timeout\":\"PT1.5S\",\"duration\":\"PT2M\",\"warmup\":\"PT0S\","
                        + "\"source_addresses\":\"127.0.0.1-127.0.0.2\",\"io_threads\":3,\"transport\":\"nio\","
                        + "\"message_size\":5,\"split\":2,\"numbers\":\"6d:95,19d:5\",\"pipeline\":4,\"rate\":100.5,"
                        + "\"arrivals\":\"uniform\",\"send_tick\":\"PT0.00025S\",\"timeout\":\"PT0.25S\",\"max_error_rate\":0.25,\"max_shed_rate\":1.0,"
                        + "\"min_achieved_rate\":0.5,\"seed\":42}");
    }
}
