package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ricochet.loadgen.testing.RicochetServerProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's shaded jar runs {@code --transport poll} as {@code java -jar} starts it (the
 * launcher and the container image do the same), with no JVM option: the JDK's poll selector
 * is in a package java.base does not export, and the jar's manifest exports it. The server's
 * own tests run from its classes with the package exported by the build, so only the jar
 * shows that the manifest does it. Here because this module's tests are the ones that run the jar.
 */
class ServerJarPollTransportTest {

    @TempDir
    Path work;

    @Test
    void theServerJarServesEchoOnThePollTransportWithoutAJvmOption() throws Exception {
        try (RicochetServerProcess server = new RicochetServerProcess("--transport", "poll")) {
            assertThat(server.output()).anySatisfy(line -> assertThat(line).contains("on transport poll (requested"));
            Loadgen.Outcome o = Loadgen.run(work, "--target", server.echoTarget(), "--connections", "20",
                    "--warmup", "0s", "--duration", "1s", "--message-size", "20", "--rate", "500");
            assertThat(o.exitCode()).as(o.out() + o.err()).isZero();
            JsonNode r = o.json();
            long requests = r.get("requests").asLong();
            assertThat(requests).isPositive();
            assertThat(r.get("bytes_received").asLong()).isEqualTo(requests * 20);
        }
    }
}
