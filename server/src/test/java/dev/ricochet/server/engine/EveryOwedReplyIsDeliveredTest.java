package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.testing.EchoOracle;
import dev.ricochet.server.testing.PrimeOracle;
import dev.ricochet.server.testing.ServerUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reply a connection is owed arrives, in order, before the server's FIN, and no
 * connection ends in a reset: for random pipelines of up to 20,000 prime requests (past the
 * netty engine's read pause at 1,024 unanswered requests and its 64 KiB high-water mark),
 * written in random pieces (some of one byte) with pauses, read with pauses of the client's own
 * (often with a 4 KiB receive buffer, so that the server's outbound buffer fills), ended by a
 * half-close or by a line longer than 64 bytes (followed by requests the server must discard),
 * with or without {@code --idle-timeout}. The echo protocol gets the same, ended by a half-close.
 *
 * <p>Each try runs on every engine and transport ({@link ServerUnderTest#all()}) at once, and
 * names each one that failed; the servers (one per engine and idle timeout) live for the whole
 * class. {@code -Dricochet.owed.engines=netty/epoll,sequential} narrows the properties to
 * those engines, to shrink a failure of one of them. The replies are checked against the
 * tests' oracles, written from docs/protocol.md ({@link PrimeOracle}, {@link EchoOracle}), not
 * the server's code. A
 * reset shows in whichever of the client's threads meets it first: the reader (the replies end
 * with {@code Connection reset}) or the writer ({@code Broken pipe}, {@code Connection reset by
 * peer}); both count.
 *
 * <p>What is checked never depends on timing: every request ends in a newline and the first
 * write carries the first one (so the bare-number linger never applies); one connection per
 * server keeps the offload queue far from {@code busy}; every pause of the client is a tenth of
 * the idle timeout, so a correct server never finds it idle while it owes a reply. A try may
 * include one fresh prime (never in the server's cache) that holds the replies behind it back:
 * with an idle timeout it takes longer than the timeout to compute, and the server must not
 * close the connection meanwhile. The examples at the top are the smallest forms of three
 * failures the properties found.
 *
 * <p>Cost: about 30 s on two busy cores (50 + 20 tries and the examples, measured with the heavy
 * primes computed to the end), most of it the tries with a heavy prime.
 */
class EveryOwedReplyIsDeliveredTest {

    private static final int MAX_REQUESTS = 20_000;
    /** Requests after a long line: enough to be still arriving when the server is done. */
    private static final int MAX_TRAILING_REQUESTS = 2_000;
    private static final int MAX_ECHO_BYTES = 300_000;
    /** The idle timeout of the tries that have one: far above the client's pauses, far below a heavy prime. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(300);
    /** Every pause of the client, writing or reading: a tenth of {@link #IDLE_TIMEOUT}. */
    private static final int MAX_PAUSE_MILLIS = 30;
    /**
     * A prime above this takes about half a second of trial division on one core of this
     * project's machine (its square root is 3.2e8): longer than {@link #IDLE_TIMEOUT} even with a
     * core to itself. Without an idle timeout a heavy prime only has to hold the replies behind it
     * back for a while, and one above {@link #HEAVY_FLOOR_WITHOUT_IDLE_TIMEOUT} (about 50 ms) does.
     * Each try that asks for one takes the next prime up, so no server has it cached.
     */
    private static final long HEAVY_FLOOR = 100_000_000_000_000_000L;
    private static final long HEAVY_FLOOR_WITHOUT_IDLE_TIMEOUT = 1_000_000_000_000_000L;
    private static final AtomicLong HEAVY_STEPS = new AtomicLong();
    /** Writes cut as the try says, then the rest in large ones: a bound on a try's time. */
    private static final int CUT_WRITES = 4_000;
    private static final int LARGE_WRITE = 64 * 1024;
    private static final int SMALL_RECEIVE_BUFFER = 4 * 1024;
    /** Hang guards only: a correct server never comes near them. */
    private static final int SILENCE_LIMIT_MILLIS = 10_000;
    private static final long EXCHANGE_LIMIT_SECONDS = 60;
    private static final long WRITER_AFTER_FIN_LIMIT_SECONDS = 10;
    /** How a clean reading ends; a reset ends it with the exception instead. */
    private static final String END_OF_STREAM = "end of stream";
    private static final String LINE_TOO_LONG = "error: line longer than 64 bytes\n";

    private static final Map<ServerKey, Engine> SERVERS = new ConcurrentHashMap<>();
    /** Platform threads: a virtual-threads engine computing a prime must not starve the client. */
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("owed-client-", 0).daemon().factory());

    @Property(tries = 50)
    void everyPrimeReplyOwedArrivesInOrderBeforeTheFin(@ForAll("primeConversations") PrimeConversation conversation)
            throws Exception {
        Long heavy = conversation.heavyAtPercent() == null ? null : nextHeavyPrime(conversation.idle());
        Script script = conversation.script(heavy);
        List<String> failures = onEveryEngine(conversation.idle(),
                server -> exchange(server.primeAddress(), script, conversation.writes(), conversation.reads()));
        assertThat(failures).as("%s%nheavy prime: %s", conversation, heavy).isEmpty();
    }

    @Property(tries = 20)
    void everyEchoReplyOwedArrivesInOrderBeforeTheFin(@ForAll("echoConversations") EchoConversation conversation)
            throws Exception {
        Script script = conversation.script();
        List<String> failures = onEveryEngine(conversation.idle(),
                server -> exchange(server.echoAddress(), script, conversation.writes(), conversation.reads()));
        assertThat(failures).as("%s", conversation).isEmpty();
    }

    static List<ServerUnderTest> servers() {
        return ServerUnderTest.all();
    }

    /**
     * The netty engine stops reading a connection at 1,024 unanswered requests; here the client
     * half-closes while it does not read, behind a prime that holds 2,000 quick ones back.
     */
    @ParameterizedTest
    @MethodSource("servers")
    void everyReplyOwedArrivesAfterAHalfCloseBehindMoreThanAThousandUnansweredRequests(ServerUnderTest engine)
            throws Exception {
        StringBuilder requests = new StringBuilder().append(nextHeavyPrime(HEAVY_FLOOR_WITHOUT_IDLE_TIMEOUT)).append('\n');
        requests.append("7\n".repeat(2_000));
        Script script = Script.of(requests.toString(), "prime\n".repeat(2_001), true);
        try (Engine server = engine.start(ServerConfig.loopback(engine.transport()))) {
            Received received = exchange(server.primeAddress(), script, Writes.LARGE, Reads.PLAIN);
            assertThat(received.failure()).as("%s", engine).isNull();
        }
    }

    /**
     * A line over 64 bytes ends the connection, but only after the replies owed before it, and
     * with a FIN: the requests the client still sends behind it must be discarded, not answered
     * with a reset (which destroys the replies still on their way). Here they leave once half
     * the replies have arrived, one byte a write, while the client stops reading for a moment.
     */
    @ParameterizedTest
    @MethodSource("servers")
    void aLineOverSixtyFourBytesEndsTheConnectionWithAFinAfterEveryReplyOwedBeforeIt(ServerUnderTest engine)
            throws Exception {
        String upToTheLongLine = "7\n".repeat(5_000) + "x".repeat(65) + "\n";
        String replies = "prime\n".repeat(5_000) + LINE_TOO_LONG;
        Script script = Script.of(upToTheLongLine + "7\n".repeat(2_000), replies, true)
                .holdingBack(upToTheLongLine.length(), replies.length() / 2);
        Writes oneByteAtATime = new Writes(List.of(1), List.of(new Pause(90, MAX_PAUSE_MILLIS)));
        Reads pausingHalfway = new Reads(1024, true, List.of(new Pause(50, MAX_PAUSE_MILLIS)));
        try (Engine server = engine.start(ServerConfig.loopback(engine.transport()))) {
            Received received = exchange(server.primeAddress(), script, oneByteAtATime, pausingHalfway);
            assertThat(received.failure()).as("%s", engine).isNull();
        }
    }

    /**
     * A client waiting for a reply that takes longer to compute than the idle timeout is not
     * idle: the server owes it something. (Once the reply is sent, the idle close is right.)
     */
    @ParameterizedTest
    @MethodSource("servers")
    void anIdleTimeoutNeverClosesAConnectionWhoseReplyIsStillBeingComputed(ServerUnderTest engine) throws Exception {
        // About 0.3 s of trial division alone, three idle timeouts.
        Script script = Script.of(nextHeavyPrime(40_000_000_000_000_000L) + "\n", "prime\n", false);
        try (Engine server = engine.start(ServerConfig.loopback(engine.transport())
                .withConnections(c -> c.withIdleTimeout(Duration.ofMillis(100))))) {
            Received received = exchange(server.primeAddress(), script, Writes.LARGE, Reads.PLAIN);
            assertThat(received.failure()).as("%s", engine).isNull();
        }
    }

    @AfterContainer
    static void stopServers() {
        SERVERS.values().forEach(Engine::close);
        SERVERS.clear();
    }

    // ---- the conversations ------------------------------------------------------------------

    /**
     * A prime pipeline: {@code requests} lines taken in turn from {@code pattern}, with one heavy
     * prime inserted at {@code heavyAtPercent} of them (or none), then the ending.
     */
    record PrimeConversation(List<Line> pattern, int requests, Integer heavyAtPercent, Ending ending, Writes writes,
            Reads reads, Idle idle) {

        Script script(Long heavy) {
            Map<Line, String> replies = new HashMap<>();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            StringBuilder expected = new StringBuilder();
            int heavyAt = heavyAtPercent == null ? -1 : (int) ((long) requests * heavyAtPercent / 100);
            for (int i = 0; i <= requests; i++) {
                if (i == heavyAt) {
                    stream.writeBytes((heavy + "\n").getBytes(StandardCharsets.US_ASCII));
                    expected.append("prime\n"); // a probable prime by construction (BigInteger, certainty 100)
                }
                if (i < requests) {
                    Line line = pattern.get(i % pattern.size());
                    stream.writeBytes(line.bytes());
                    expected.append(replies.computeIfAbsent(line, l -> PrimeOracle.replyTo(l.content())));
                }
            }
            int endOfRequests = stream.size();
            boolean halfClose = true;
            if (ending instanceof BadLine bad) {
                stream.writeBytes(bad.bytes());
                expected.append(LINE_TOO_LONG); // and nothing after it
                for (int i = 0; i < bad.trailingRequests(); i++) {
                    stream.writeBytes(pattern.get((requests + i) % pattern.size()).bytes());
                }
                halfClose = bad.halfCloseAfter();
            }
            byte[] bytes = stream.toByteArray();
            // The first write carries the first newline (or enough of a first long line to be
            // too long): a number cut before any newline could otherwise be completed by the
            // bare-number linger, which is not what this test is about.
            int firstNewline = indexOf(bytes, (byte) '\n');
            int firstWrite = Math.min(firstNewline < 0 ? bytes.length : firstNewline + 1,
                    ending instanceof BadLine ? endOfRequests + 65 : bytes.length);
            return new Script(bytes, firstWrite, 0, halfClose, expected.toString().getBytes(StandardCharsets.US_ASCII),
                    true);
        }

        @Override
        public String toString() {
            return "%,d requests cycling %s%s, then %s; %s; %s; %s".formatted(requests, pattern,
                    heavyAtPercent == null ? "" : ", a fresh heavy prime at " + heavyAtPercent + "%", ending, writes,
                    reads, idle);
        }
    }

    /** An echo stream: {@code length} bytes taken in turn from {@code pattern}, then a half-close. */
    record EchoConversation(List<Integer> pattern, int length, Writes writes, Reads reads, Idle idle) {

        Script script() {
            byte[] stream = new byte[length];
            for (int i = 0; i < length; i++) {
                stream[i] = (byte) (int) pattern.get(i % pattern.size());
            }
            return new Script(stream, 1, 0, true, echoRepliesWithGreeting(stream), false);
        }

        @Override
        public String toString() {
            StringBuilder bytes = new StringBuilder();
            for (int b : pattern) {
                bytes.append(b == '^' || b == '$' ? String.valueOf((char) b) : "\\x%02x".formatted(b));
            }
            return "%,d bytes cycling \"%s\", then half-close; %s; %s; %s".formatted(length, bytes, writes, reads, idle);
        }
    }

    /** One request line: its content and terminator. */
    record Line(String content, boolean crlf) {

        byte[] bytes() {
            return (content + (crlf ? "\r\n" : "\n")).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            String terminator = crlf ? "\\r\\n" : "\\n";
            if (content.length() > 12 && content.chars().distinct().count() == 1) {
                return "\"" + content.charAt(0) + "\"x" + content.length() + "+\"" + terminator + "\"";
            }
            return "\"" + content + terminator + "\"";
        }
    }

    sealed interface Ending permits HalfClose, BadLine {
    }

    record HalfClose() implements Ending {
        @Override
        public String toString() {
            return "half-close";
        }
    }

    /**
     * A line of {@code length} bytes (over 64), then {@code trailingRequests} more lines the
     * server must discard unanswered, then a half-close or not.
     */
    record BadLine(int length, boolean digits, boolean newline, int trailingRequests, boolean halfCloseAfter)
            implements Ending {

        byte[] bytes() {
            return ((digits ? "1" : "x").repeat(length) + (newline ? "\n" : "")).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return "a %d-byte line of %s%s, %d more requests, %s".formatted(length, digits ? "digits" : "letters",
                    newline ? " with its newline" : " without newline", trailingRequests,
                    halfCloseAfter ? "half-close" : "no half-close");
        }
    }

    /** Chunk sizes the client writes in turn (none: large writes), and where it pauses. */
    record Writes(List<Integer> chunks, List<Pause> pauses) {

        static final Writes LARGE = new Writes(List.of(), List.of());

        Writes {
            pauses = inOrder(pauses);
        }

        int chunk(int index) {
            return chunks.isEmpty() || index >= CUT_WRITES ? LARGE_WRITE : chunks.get(index % chunks.size());
        }

        @Override
        public String toString() {
            return "writes of " + (chunks.isEmpty() ? "64 KiB" : chunks + " bytes") + pausesText(pauses);
        }
    }

    /** The client's read buffer, its socket's receive buffer, and where it stops reading a while. */
    record Reads(int bufferBytes, boolean smallReceiveBuffer, List<Pause> pauses) {

        static final Reads PLAIN = new Reads(64 * 1024, false, List.of());

        Reads {
            pauses = inOrder(pauses);
        }

        @Override
        public String toString() {
            return "reads of %d bytes%s%s".formatted(bufferBytes, smallReceiveBuffer ? " (SO_RCVBUF 4 KiB)" : "",
                    pausesText(pauses));
        }
    }

    /** A pause of {@code millis} once {@code atPercent} of the bytes are through. */
    record Pause(int atPercent, int millis) {
        @Override
        public String toString() {
            return millis + " ms at " + atPercent + "%";
        }
    }

    enum Idle {
        OFF(Duration.ZERO), ON(IDLE_TIMEOUT);

        private final Duration timeout;

        Idle(Duration timeout) {
            this.timeout = timeout;
        }

        @Override
        public String toString() {
            return timeout.isZero() ? "no idle timeout" : "idle timeout " + timeout.toMillis() + " ms";
        }
    }

    private static List<Pause> inOrder(List<Pause> pauses) {
        return pauses.stream().sorted(Comparator.comparingInt(Pause::atPercent)).toList();
    }

    private static String pausesText(List<Pause> pauses) {
        return pauses.isEmpty() ? "" : ", pausing " + pauses;
    }

    // ---- generators -------------------------------------------------------------------------

    @Provide
    Arbitrary<PrimeConversation> primeConversations() {
        return Combinators.combine(
                        line().list().ofMinSize(1).ofMaxSize(12),
                        Arbitraries.integers().between(0, MAX_REQUESTS).withDistribution(RandomDistribution.uniform()),
                        Arbitraries.integers().between(0, 100).injectNull(0.7),
                        ending(),
                        writes(),
                        reads(),
                        idle())
                .as(PrimeConversation::new);
    }

    @Provide
    Arbitrary<EchoConversation> echoConversations() {
        Arbitrary<Integer> echoByte = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just((int) '^')),
                Tuple.of(1, Arbitraries.just((int) '$')),
                Tuple.of(6, Arbitraries.integers().between(0, 255)));
        return Combinators.combine(
                        echoByte.list().ofMinSize(1).ofMaxSize(16),
                        Arbitraries.integers().between(0, MAX_ECHO_BYTES).withDistribution(RandomDistribution.uniform()),
                        writes(),
                        reads(),
                        idle())
                .as(EchoConversation::new);
    }

    /**
     * Numbers settled by the server's quick divisions (below 2048^2), numbers up to 10^9 that
     * need its workers (random ones, primes, products of two primes above 2048), and lines that
     * get an error but keep the connection (or that look odd and are fine).
     */
    private static Arbitrary<Line> line() {
        Arbitrary<String> quick = Arbitraries.longs().between(0, 4_194_303).map(String::valueOf);
        Arbitrary<String> large = Arbitraries.longs().between(4_194_304, 999_999_999).map(String::valueOf);
        Arbitrary<String> largePrime = Arbitraries.longs().between(4_194_304, 999_999_000)
                .map(n -> BigInteger.valueOf(n).nextProbablePrime().toString());
        Arbitrary<String> semiprime = Combinators.combine(
                        Arbitraries.integers().between(2_049, 31_600), Arbitraries.integers().between(2_049, 31_600))
                .as((p, q) -> BigInteger.valueOf(p).nextProbablePrime()
                        .multiply(BigInteger.valueOf(q).nextProbablePrime()).toString());
        Arbitrary<String> odd = Arbitraries.of("", "abc", "-7", "+7", " 7", "7 ", "0x1F", "007",
                "0000000000000000007", "00000000000000000007", "9223372036854775807", "9223372036854775808",
                "x".repeat(64), "9".repeat(64));
        Arbitrary<String> content = Arbitraries.frequencyOf(
                Tuple.of(4, quick), Tuple.of(2, large), Tuple.of(2, largePrime), Tuple.of(1, semiprime),
                Tuple.of(2, odd));
        return Combinators.combine(content, Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true)))
                .as(Line::new);
    }

    private static Arbitrary<Ending> ending() {
        Arbitrary<Ending> badLine = Combinators.combine(
                        Arbitraries.integers().between(65, 300),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, MAX_TRAILING_REQUESTS),
                        Arbitraries.of(true, false))
                .as(BadLine::new);
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(new HalfClose())), Tuple.of(1, badLine));
    }

    private static Arbitrary<Writes> writes() {
        Arbitrary<Integer> chunk = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.integers().between(2, 100)),
                Tuple.of(3, Arbitraries.integers().between(101, 8_192)),
                Tuple.of(2, Arbitraries.integers().between(8_193, 65_536)));
        return Combinators.combine(chunk.list().ofMaxSize(5), pauses()).as(Writes::new);
    }

    private static Arbitrary<Reads> reads() {
        Arbitrary<Integer> buffer = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(16, 256)),
                Tuple.of(2, Arbitraries.integers().between(257, 65_536)));
        return Combinators.combine(buffer, Arbitraries.of(false, true), pauses()).as(Reads::new);
    }

    private static Arbitrary<List<Pause>> pauses() {
        return Combinators.combine(Arbitraries.integers().between(0, 100),
                        Arbitraries.integers().between(1, MAX_PAUSE_MILLIS))
                .as(Pause::new).list().ofMaxSize(3);
    }

    private static Arbitrary<Idle> idle() {
        return Arbitraries.frequency(Tuple.of(3, Idle.OFF), Tuple.of(2, Idle.ON));
    }

    // ---- the oracles ------------------------------------------------------------------------

    /** The greeting, then {@link EchoOracle}'s answers to the frames of {@code stream}. */
    private static byte[] echoRepliesWithGreeting(byte[] stream) {
        byte[] answers = EchoOracle.expectedReplies(stream);
        byte[] replies = new byte[answers.length + 1];
        replies[0] = '*';
        System.arraycopy(answers, 0, replies, 1, answers.length);
        return replies;
    }

    /** A prime no server has seen yet: the prime gaps up there are far below the step. */
    private static long nextHeavyPrime(Idle idle) {
        return nextHeavyPrime(idle == Idle.ON ? HEAVY_FLOOR : HEAVY_FLOOR_WITHOUT_IDLE_TIMEOUT);
    }

    private static long nextHeavyPrime(long floor) {
        return BigInteger.valueOf(floor + HEAVY_STEPS.getAndIncrement() * 10_000).nextProbablePrime().longValueExact();
    }

    // ---- running a conversation ---------------------------------------------------------------

    /**
     * What the client sends and what it must receive.
     *
     * @param firstWrite    the least the first write carries, whatever the cuts say
     * @param holdRestUntil the rest waits until the client has received this many bytes (or a
     *                      hang guard's time), for the examples; 0 in the properties
     * @param halfClose     whether the client shuts its output down after the last byte
     * @param lineBased     whether the replies are lines (prime), for the failure's description
     */
    record Script(byte[] stream, int firstWrite, int holdRestUntil, boolean halfClose, byte[] expected,
            boolean lineBased) {

        /** A prime conversation written out by hand, in one write. */
        static Script of(String requests, String replies, boolean halfClose) {
            byte[] stream = requests.getBytes(StandardCharsets.US_ASCII);
            return new Script(stream, stream.length, 0, halfClose, replies.getBytes(StandardCharsets.US_ASCII), true);
        }

        /** Writes the first {@code bytes} at once, the rest once {@code received} bytes have arrived. */
        Script holdingBack(int bytes, int received) {
            return new Script(stream, bytes, received, halfClose, expected, lineBased);
        }
    }

    private record ServerKey(ServerUnderTest engine, Idle idle) {
    }

    @FunctionalInterface
    private interface Conversation {
        Received run(Engine server) throws Exception;
    }

    /** Runs the conversation on every engine at once; returns one line per engine that failed. */
    private static List<String> onEveryEngine(Idle idle, Conversation conversation) throws Exception {
        List<ServerUnderTest> engines = engines();
        List<Future<Received>> outcomes = new ArrayList<>();
        for (ServerUnderTest engine : engines) {
            Engine server = server(engine, idle);
            outcomes.add(CLIENTS.submit(() -> conversation.run(server)));
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            Received received = outcomes.get(i).get(2 * EXCHANGE_LIMIT_SECONDS, TimeUnit.SECONDS);
            String failure = received.failure();
            if (failure != null) {
                failures.add(engines.get(i) + ": " + failure);
            }
        }
        return failures;
    }

    /** {@link ServerUnderTest#all()}, or those named in {@code -Dricochet.owed.engines=netty/epoll,...}. */
    private static List<ServerUnderTest> engines() {
        String only = System.getProperty("ricochet.owed.engines", "");
        return ServerUnderTest.all().stream()
                .filter(engine -> only.isBlank() || Arrays.asList(only.split(",")).contains(engine.toString()))
                .toList();
    }

    private static Engine server(ServerUnderTest engine, Idle idle) {
        return SERVERS.computeIfAbsent(new ServerKey(engine, idle), key -> {
            try {
                return engine.start(ServerConfig.loopback(engine.transport())
                        .withConnections(c -> c.withIdleTimeout(idle.timeout)));
            } catch (Exception e) {
                throw new IllegalStateException("could not start " + engine, e);
            }
        });
    }

    /**
     * One connection: a writer and a reader at once, on platform threads. Every wait is bounded:
     * the reader gives up after {@link #SILENCE_LIMIT_MILLIS} without a byte or
     * {@link #EXCHANGE_LIMIT_SECONDS} in all, the writer {@link #WRITER_AFTER_FIN_LIMIT_SECONDS}
     * after the reader ended.
     */
    static Received exchange(InetSocketAddress address, Script script, Writes writes, Reads reads) throws Exception {
        Socket socket = new Socket();
        try {
            if (reads.smallReceiveBuffer()) {
                socket.setReceiveBufferSize(SMALL_RECEIVE_BUFFER); // before connect: the window scale depends on it
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(SILENCE_LIMIT_MILLIS);
            socket.connect(address, 10_000);
            AtomicInteger receivedSoFar = new AtomicInteger();
            Future<Received> reading = CLIENTS.submit(() -> read(socket, reads, script.expected().length, receivedSoFar));
            Future<Void> writing = CLIENTS.submit(() -> {
                write(socket, script, writes, receivedSoFar);
                return null;
            });
            Received received;
            try {
                received = reading.get(EXCHANGE_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                socket.close(); // the reader fails out of its read
                received = reading.get(10, TimeUnit.SECONDS).endedAs("still reading after " + EXCHANGE_LIMIT_SECONDS + " s");
            }
            String writeFailure = null;
            try {
                writing.get(WRITER_AFTER_FIN_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                writeFailure = "still blocked in a write " + WRITER_AFTER_FIN_LIMIT_SECONDS + " s after the reading ended";
            } catch (ExecutionException e) {
                writeFailure = e.getCause().toString();
            }
            return received.withWriteFailure(writeFailure).against(script);
        } finally {
            socket.close(); // the writer, if still blocked, fails out of its write
        }
    }

    private static void write(Socket socket, Script script, Writes writes, AtomicInteger receivedSoFar)
            throws IOException, InterruptedException {
        OutputStream out = socket.getOutputStream();
        byte[] stream = script.stream();
        List<Integer> pauseOffsets = offsets(writes.pauses(), stream.length);
        int at = 0;
        int pause = 0;
        for (int count = 0; at < stream.length; count++) {
            int size = count == 0 ? Math.max(script.firstWrite(), writes.chunk(0)) : writes.chunk(count);
            int n = Math.min(size, stream.length - at);
            out.write(stream, at, n);
            at += n;
            for (; pause < pauseOffsets.size() && pauseOffsets.get(pause) <= at; pause++) {
                Thread.sleep(writes.pauses().get(pause).millis());
            }
            if (count == 0 && script.holdRestUntil() > 0) {
                await("the first " + script.holdRestUntil() + " bytes of replies")
                        .atMost(Duration.ofMillis(SILENCE_LIMIT_MILLIS))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                        .until(() -> receivedSoFar.get() >= script.holdRestUntil());
            }
        }
        if (script.halfClose()) {
            socket.shutdownOutput();
        }
    }

    private static Received read(Socket socket, Reads reads, int expectedBytes, AtomicInteger receivedSoFar) {
        ByteArrayOutputStream received = new ByteArrayOutputStream(expectedBytes + 64);
        List<Integer> pauseOffsets = offsets(reads.pauses(), expectedBytes);
        byte[] buffer = new byte[reads.bufferBytes()];
        int pause = 0;
        try {
            InputStream in = socket.getInputStream();
            // Pauses at offset 0 come before the first read.
            for (; pause < pauseOffsets.size() && pauseOffsets.get(pause) <= 0; pause++) {
                Thread.sleep(reads.pauses().get(pause).millis());
            }
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
                receivedSoFar.set(received.size());
                for (; pause < pauseOffsets.size() && pauseOffsets.get(pause) <= received.size(); pause++) {
                    Thread.sleep(reads.pauses().get(pause).millis());
                }
            }
            return new Received(received.toByteArray(), END_OF_STREAM, null, null);
        } catch (SocketTimeoutException e) {
            return new Received(received.toByteArray(),
                    "no end of stream: " + SILENCE_LIMIT_MILLIS + " ms without a byte", null, null);
        } catch (IOException | InterruptedException e) {
            return new Received(received.toByteArray(), e.toString(), null, null);
        }
    }

    /** Each pause's byte offset, ascending, in a stream of {@code length} bytes. */
    private static List<Integer> offsets(List<Pause> pauses, int length) {
        List<Integer> offsets = new ArrayList<>();
        for (Pause pause : pauses) {
            offsets.add((int) ((long) length * pause.atPercent() / 100));
        }
        return offsets;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What one connection received and how it ended ({@code end}: {@link #END_OF_STREAM}, or the reset or other
     * failure that ended the reading), and what went wrong with the writing, if anything.
     */
    record Received(byte[] bytes, String end, String writeFailure, String failure) {

        Received endedAs(String why) {
            return new Received(bytes, why, writeFailure, failure);
        }

        Received withWriteFailure(String why) {
            return new Received(bytes, end, why, failure);
        }

        /** With {@code failure} set to what differs from a clean delivery of the script's replies, or null. */
        Received against(Script script) {
            byte[] expected = script.expected();
            if (Arrays.equals(bytes, expected) && end.equals(END_OF_STREAM) && writeFailure == null) {
                return this;
            }
            return new Received(bytes, end, writeFailure,
                    script.lineBased() ? describeLines(expected) : describeBytes(expected));
        }

        private String describeBytes(byte[] expected) {
            int same = Arrays.mismatch(bytes, expected);
            StringBuilder text = new StringBuilder("%,d of %,d bytes, then %s".formatted(bytes.length, expected.length, end));
            if (same >= 0) {
                text.append("; byte #%,d: expected %s, got %s".formatted(same,
                        same < expected.length ? "0x%02x".formatted(expected[same]) : "nothing more",
                        same < bytes.length ? "0x%02x".formatted(bytes[same]) : "nothing"));
            }
            if (writeFailure != null) {
                text.append("; writing: ").append(writeFailure);
            }
            return text.toString();
        }

        private String describeLines(byte[] expected) {
            List<String> want = lines(expected);
            List<String> got = lines(bytes);
            int same = 0;
            while (same < want.size() && same < got.size() && want.get(same).equals(got.get(same))) {
                same++;
            }
            StringBuilder text = new StringBuilder("%,d of %,d bytes (%,d of %,d replies right), then %s".formatted(
                    bytes.length, expected.length, same, want.size(), end));
            if (same < want.size() || same < got.size()) {
                text.append("; reply #%,d: expected %s, got %s".formatted(same,
                        same < want.size() ? quote(want.get(same)) : "nothing more",
                        same < got.size() ? quote(got.get(same)) : "nothing"));
            }
            if (writeFailure != null) {
                text.append("; writing: ").append(writeFailure);
            }
            return text.toString();
        }

        /** Replies split after each newline; a last one without newline kept as it is. */
        private static List<String> lines(byte[] bytes) {
            List<String> lines = new ArrayList<>();
            int from = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    lines.add(new String(bytes, from, i + 1 - from, StandardCharsets.ISO_8859_1));
                    from = i + 1;
                }
            }
            if (from < bytes.length) {
                lines.add(new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1));
            }
            return lines;
        }

        private static String quote(String reply) {
            String shown = reply.length() > 40 ? reply.substring(0, 40) + "..." : reply;
            return "\"" + shown.replace("\n", "\\n").replace("\r", "\\r") + "\"";
        }
    }
}
