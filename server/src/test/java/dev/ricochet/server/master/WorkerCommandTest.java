package dev.ricochet.server.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.config.ServerCommand;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

class WorkerCommandTest {

    private static ParseResult parse(String... args) {
        return ServerCommand.newCommandLine(new ServerCommand()).parseArgs(args);
    }

    @Test
    void givesTheWorkersTheMastersOptionsButThoseItSetsForEach() {
        ParseResult parsed = parse("--processes", "4", "--spare-processes=1", "--engine", "thread-pool", "--threads=8", "--echo-port", "0",
                "--admin-port=9000", "--admin-bind", "0.0.0.0", "--admin-tls", "--reuse-port", "--bind", "127.0.0.1",
                "--shutdown-grace", "5s");
        assertThat(WorkerCommand.sharedOptions(parsed)).containsExactly("--engine=thread-pool", "--threads=8",
                "--bind=127.0.0.1", "--shutdown-grace=5s");
    }

    @Test
    void givesABooleanGivenAloneWithTheValueItImplies() {
        assertThat(WorkerCommand.sharedOptions(parse("--proxy-protocol", "--processes=2")))
                .containsExactly("--proxy-protocol=true");
    }

    @Test
    void startsAWorkerMarkedWithItsIndexOnTheReservedPortsWithAnAdminPortOfItsOwn() {
        WorkerCommand command = new WorkerCommand(List.of("/jdk/bin/java", "-Xmx64m", "-jar", "server.jar"),
                List.of("--engine=sequential"));
        ProcessBuilder builder = command.builder("3", 9090, 8070, 41000);
        assertThat(builder.command()).containsExactly("/jdk/bin/java", "-Dricochet.worker=3", "-Xmx64m", "-jar",
                "server.jar", "--engine=sequential", "--echo-port=9090", "--prime-port=8070", "--reuse-port=true",
                "--admin-port=41000", "--admin-bind=" + Worker.ADMIN_ADDRESS.getHostAddress(), "--admin-tls=false");
        assertThat(builder.redirectInput()).isEqualTo(ProcessBuilder.Redirect.PIPE);
        assertThat(builder.redirectOutput()).isEqualTo(ProcessBuilder.Redirect.PIPE);
    }

    @Test
    void leavesOutOfTheWorkersEnvironmentWhatWouldMakeThemMastersOrDoubleTheirJvmOptions() {
        Map<String, String> environment = new HashMap<>(Map.of("RICOCHET_PROCESSES", "4",
                "RICOCHET_SPARE_PROCESSES", "1", "RICOCHET_ENGINE", "netty",
                "JAVA_TOOL_OPTIONS", "-javaagent:a.jar", "JDK_JAVA_OPTIONS", "-Xmx1g", "_JAVA_OPTIONS", "-Dx=1",
                "PATH", "/usr/bin"));
        WorkerCommand.forWorker(environment);
        assertThat(environment).containsOnlyKeys("RICOCHET_ENGINE", "PATH");
    }
}
