package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.prime.PrimeMethod;
import dev.ricochet.server.testing.EchoOracle;
import dev.ricochet.server.testing.PrimeOracle;
import dev.ricochet.server.testing.ServerUnderTest;
import dev.ricochet.server.transport.TransportKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random byte streams over many concurrent connections to a real server, each cut into random
 * writes and half-closed; every connection's whole reply is compared with the oracle. The seed
 * is in the failure message; {@code -Dricochet.fuzz.rounds=N} makes the run longer
 * (bench/fuzz.sh), the default keeps it to seconds in CI.
 */
class ProtocolFuzzOverLoopbackTest {

    private static final int CONNECTIONS = 100;
    private static final int ROUNDS = Integer.getInteger("ricochet.fuzz.rounds", 2);

    /** Line-framed only: the linger's timing is not what this fuzz is about (see the decoder tests). */
    private static ServerConfig config() {
        return ServerConfig.loopback(TransportKind.AUTO)
                .withPrime(p -> p.withMethod(PrimeMethod.MILLER_RABIN).withCacheSize(1000).withLinger(Duration.ZERO));
    }

    static List<ServerUnderTest> engines() {
        return ServerUnderTest.eachModel();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void answersEveryRandomStreamAsTheOraclesSayOverManyConcurrentConnections(ServerUnderTest engine) throws Exception {
        long seed = Long.getLong("ricochet.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        long cases = 0;
        try (Engine server = engine.start(config());
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<String>> outcomes = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    long connectionSeed = random.nextLong();
                    boolean echo = i % 2 == 0;
                    outcomes.add(threads.submit(() -> echo
                            ? echoCase(server.echoAddress(), new Random(connectionSeed))
                            : primeCase(server.primeAddress(), new Random(connectionSeed))));
                }
                for (Future<String> outcome : outcomes) {
                    assertThat(outcome.get(60, TimeUnit.SECONDS)).as("seed %d", seed).isEmpty();
                    cases++;
                }
            }
        }
        System.out.printf("protocol fuzz on %s: %d connections' streams checked, seed %d%n", engine, cases, seed);
    }

    /** An empty string when the replies match, a description of the difference otherwise. */
    private static String echoCase(InetSocketAddress server, Random random) throws Exception {
        byte[] stream = new byte[random.nextInt(8192)];
        for (int i = 0; i < stream.length; i++) {
            int kind = random.nextInt(10);
            stream[i] = kind == 0 ? (byte) '^' : kind == 1 ? (byte) '$' : (byte) random.nextInt(256);
        }
        byte[] replies = exchange(server, stream, random);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write('*');
        expected.write(EchoOracle.expectedReplies(stream));
        return java.util.Arrays.equals(replies, expected.toByteArray()) ? ""
                : "echo: " + replies.length + " bytes received, " + expected.size() + " expected";
    }

    private static String primeCase(InetSocketAddress server, Random random) throws Exception {
        StringBuilder lines = new StringBuilder();
        int count = random.nextInt(200);
        for (int i = 0; i < count; i++) {
            lines.append(switch (random.nextInt(8)) {
                case 0 -> "";
                case 1 -> Long.toString(random.nextLong()); // negative half the time
                case 2 -> "9".repeat(1 + random.nextInt(25));
                case 3 -> randomText(random);
                case 4, 5 -> Long.toString(random.nextLong(10_000_000));
                default -> Long.toString(random.nextLong(Long.MAX_VALUE));
            }).append(random.nextBoolean() ? "\n" : "\r\n");
        }
        if (random.nextBoolean()) {
            lines.append(random.nextLong(1000)); // an unterminated last line, answered at the half-close
        }
        byte[] stream = lines.toString().getBytes(StandardCharsets.ISO_8859_1);
        String replies = new String(exchange(server, stream, random), StandardCharsets.ISO_8859_1);
        String expected = PrimeOracle.expectedReplies(stream);
        return replies.equals(expected) ? "" : "prime: for " + lines + " received " + replies + " expected " + expected;
    }

    private static String randomText(Random random) {
        char[] text = new char[random.nextInt(10)];
        String alphabet = "0123456789 +-xa\r\u0000\u00ff";
        for (int i = 0; i < text.length; i++) {
            text[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(text);
    }

    /** Sends the stream in random pieces while reading, half-closes, and returns all it received. */
    private static byte[] exchange(InetSocketAddress server, byte[] stream, Random random) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000); // guards against a hang only
            socket.connect(server, 10_000);
            List<Integer> cuts = new ArrayList<>();
            for (int at = 0; at < stream.length; at += 1 + random.nextInt(700)) {
                cuts.add(at);
            }
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int i = 0; i < cuts.size(); i++) {
                        int from = cuts.get(i);
                        int to = i + 1 < cuts.size() ? cuts.get(i + 1) : stream.length;
                        out.write(stream, from, to - from);
                        out.flush();
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            writer.join();
            return received.toByteArray();
        }
    }
}
