package dev.ricochet.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.Engines;
import dev.ricochet.server.config.EngineSettings;
import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.Engine;
import dev.ricochet.server.kind.EngineKind;
import dev.ricochet.server.metrics.MetricNames;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.prime.PrimeMethod;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.ReferenceCase;
import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The echo and prime ports over TLS, on real loopback sockets, on every engine (the netty
 * engine with both providers, the blocking engines on JSSE sockets): the protocols' reference
 * cases, the replies' records, and every bad input at the edge with its counted outcome, the
 * same on every engine.
 */
class TlsOverLoopbackTest {

    private static final byte ALERT_RECORD = 0x15;

    @TempDir
    Path dir;

    private TestPki ca;
    private TestPki.Issued serverCertificate;
    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private ServerTls tls;
    private Engine server;

    @BeforeEach
    void issueCertificates() {
        ca = TestPki.create(dir, "ca");
        serverCertificate = ca.server("localhost", "127.0.0.1");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ZERO);
        }
        if (tls != null) {
            tls.close();
        }
        metrics.close();
    }

    static List<TlsServers.Server> servers() {
        return TlsServers.Server.all();
    }

    static List<TlsServers.Server> eachEngine() {
        return TlsServers.Server.eachEngine();
    }

    static List<TlsServers.Server> concurrent() {
        return TlsServers.Server.concurrent();
    }

    private Engine start(TlsServers.Server engine, UnaryOperator<ServerConfig> change) throws Exception {
        ServerConfig config = change.apply(engine.config(serverCertificate));
        tls = ServerTls.load(config.tls());
        server = engine.start(config, tls, metrics);
        return server;
    }

    private InetSocketAddress startEcho(TlsServers.Server engine) throws Exception {
        return start(engine, config -> config).echoAddress();
    }

    private SSLContext client() throws Exception {
        return TlsClient.context(ca, null);
    }

    private double handshakes(String protocol, String result) {
        return metrics.registry().get(MetricNames.TLS_HANDSHAKES).tags(MetricNames.TAG_PROTOCOL, protocol,
                MetricNames.TAG_RESULT, result).counter().count();
    }

    private double closed(String protocol, String reason) {
        return metrics.registry().get(MetricNames.CONNECTIONS_CLOSED).tags(MetricNames.TAG_PROTOCOL, protocol,
                MetricNames.TAG_REASON, reason).counter().count();
    }

    /** The startup line says how TLS is served: the netty engine's provider, or the blocking engines' JSSE. */
    @ParameterizedTest
    @MethodSource("eachEngine")
    void describesHowItServesTls(TlsServers.Server engine) throws Exception {
        String description = start(engine, config -> config).description();
        if (engine.engine().eventLoops()) {
            assertThat(description).endsWith(", " + tls.description()).contains(", TLS ");
        } else {
            assertThat(description).endsWith(", TLS JDK JSSE sockets");
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void answersTheEchoReferenceCasesOverTls(TlsServers.Server engine) throws Exception {
        InetSocketAddress echo = startEcho(engine);
        for (ReferenceCase reference : ReferenceCase.ALL) {
            try (TlsClient client = TlsClient.connect(client(), echo)) {
                assertThat(client.readAscii(1)).isEqualTo("*");
                for (int i = 0; i < reference.sends().size(); i++) {
                    client.send(reference.sends().get(i));
                    String owed = reference.replies().get(i);
                    assertThat(client.readAscii(owed.length())).as(reference.name()).isEqualTo(owed);
                }
            }
        }
        await().untilAsserted(() -> assertThat(handshakes("echo", "success")).isEqualTo(ReferenceCase.ALL.size()));
    }

    /** A bare number waits out its linger: on a blocking engine, in a read that times out on a JSSE socket. */
    @ParameterizedTest
    @MethodSource("servers")
    void answersPrimeRequestsAndABareNumberOverTls(TlsServers.Server engine) throws Exception {
        start(engine, config -> config.withPrime(prime -> prime.withMethod(PrimeMethod.MILLER_RABIN)));
        try (TlsClient client = TlsClient.connect(client(), server.primeAddress())) {
            client.send("7\n8\n2305843009213693951\n");
            assertThat(client.readAscii("prime\ncomposite\nprime\n".length())).isEqualTo("prime\ncomposite\nprime\n");
        }
        try (TlsClient bare = TlsClient.connect(client(), server.primeAddress())) {
            assertThat(bare.send("97").readAscii("prime\n".length())).isEqualTo("prime\n");
            assertThat(bare.send("91").readAscii("composite\n".length())).isEqualTo("composite\n");
        }
    }

    @ParameterizedTest
    @MethodSource("eachEngine")
    void answersAThousandBytesSentInOneRecordInAFewRecords(TlsServers.Server engine) throws Exception {
        InetSocketAddress echo = startEcho(engine);
        try (RecordCountingClient client = RecordCountingClient.connect(ca, echo)) {
            assertThat(client.readAscii(1)).isEqualTo("*");
            // Every record so far (TLS 1.3 encrypts the handshake's and the session tickets' as
            // application data too) came before the greeting: what follows are the replies'.
            int before = client.applicationRecords();
            byte[] frame = new byte[1000];
            Arrays.fill(frame, (byte) 'a');
            frame[0] = '^';
            client.send(frame);
            assertThat(client.readAscii(999)).isEqualTo("b".repeat(999));
            // One record per read batch: one per byte would be 999. One read, or two when the
            // client's record reaches the server in two segments.
            assertThat(client.applicationRecords() - before).isBetween(1, 2);
        }
    }

    /** Netty's handler closes without a word; JSSE sends a fatal alert first. Neither greets. */
    @ParameterizedTest
    @MethodSource("eachEngine")
    void closesAndCountsPlaintextSentToATlsPort(TlsServers.Server engine) throws Exception {
        InetSocketAddress echo = startEcho(engine);
        try (EchoClient client = EchoClient.connectWithoutGreeting(echo)) {
            client.send("^abc$ plaintext, not a ClientHello");
            byte[] answer = client.readToEnd();
            assertThat(answer.length == 0 || answer[0] == ALERT_RECORD).as(Arrays.toString(answer)).isTrue();
        }
        await().untilAsserted(() -> {
            assertThat(handshakes("echo", "not_tls")).isEqualTo(1);
            assertThat(closed("echo", "handshake")).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @MethodSource("eachEngine")
    void countsAConnectionClosedBeforeItsClientHelloAsClosedByTheClient(TlsServers.Server engine) throws Exception {
        InetSocketAddress echo = startEcho(engine);
        // What a cloud load balancer's TCP health check does: connect, then close at once.
        EchoClient.connectWithoutGreeting(echo).close();
        await().untilAsserted(() -> {
            assertThat(handshakes("echo", "closed")).isEqualTo(1);
            assertThat(closed("echo", "client")).isEqualTo(1);
        });
        // No failure of TLS: the alert on failed handshakes leaves result="closed" out.
        assertThat(handshakes("echo", "failed") + handshakes("echo", "not_tls") + handshakes("echo", "timeout"))
                .isZero();
        assertThat(closed("echo", "handshake")).isZero();
    }

    @ParameterizedTest
    @MethodSource("eachEngine")
    void aDrainClosesAConnectionMidHandshakeAtOnceItIsOwedNothing(TlsServers.Server engine) throws Exception {
        InetSocketAddress echo = start(engine, config -> config.withTls(t ->
                t.withHandshakeTimeout(Duration.ofMinutes(5)))).echoAddress();
        try (EchoClient client = EchoClient.connectWithoutGreeting(echo)) {
            // Half a ClientHello: the handshake has begun and will not finish.
            client.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
            await().until(() -> server.stats().openConnections() == 1);
            // The grace and the handshake timeout outlast the client's read timeout: only the
            // drain's own close can end the read.
            Engine draining = server;
            server = null;
            Thread.ofVirtual().start(() -> draining.shutdown(Duration.ofMinutes(5)));
            // No greeting: nothing, or the JDK engine's closing alerts.
            assertThat(client.readToEnd()).satisfiesAnyOf(bytes -> assertThat(bytes).isEmpty(),
                    bytes -> assertThat(bytes[0]).isEqualTo(ALERT_RECORD));
        }
        await().untilAsserted(() -> assertThat(closed("echo", "drained")).isEqualTo(1));
        assertThat(handshakes("echo", "failed") + handshakes("echo", "timeout")).isZero();
    }

    /** Sequential included: its one thread waits out the silent client, then serves the next. */
    @ParameterizedTest
    @MethodSource("eachEngine")
    void closesAndCountsAHandshakeThatNeverFinishesThenServesTheNextClient(TlsServers.Server engine)
            throws Exception {
        InetSocketAddress echo = start(engine, config -> config.withTls(t ->
                t.withHandshakeTimeout(Duration.ofMillis(300)))).echoAddress();
        try (EchoClient client = EchoClient.connectWithoutGreeting(echo)) {
            // Connected, and silent: no ClientHello ever comes.
            assertThat(client.serverClosed()).isTrue();
        }
        try (TlsClient next = TlsClient.connect(client(), echo)) {
            assertThat(next.send("^a").readAscii(2)).isEqualTo("*b");
        }
        await().untilAsserted(() -> {
            assertThat(handshakes("echo", "timeout")).isEqualTo(1);
            assertThat(closed("echo", "handshake")).isEqualTo(1);
        });
    }

    /**
     * The timeout bounds the whole handshake, not each read: a client that sends its
     * ClientHello a byte at a time, each well within the timeout, is closed all the same.
     */
    @ParameterizedTest
    @MethodSource("eachEngine")
    void closesAHandshakeTrickledAByteAtATime(TlsServers.Server engine) throws Exception {
        InetSocketAddress echo = start(engine, config -> config.withTls(t ->
                t.withHandshakeTimeout(Duration.ofMillis(500)))).echoAddress();
        try (Socket trickler = new Socket(echo.getAddress(), echo.getPort())) {
            OutputStream out = trickler.getOutputStream();
            // A handshake record's header announcing 512 bytes, then its bytes one at a time.
            out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try {
                    out.write(0x01);
                    out.flush();
                    return false;
                } catch (IOException e) {
                    return true; // closed by the server
                }
            });
        }
        await().untilAsserted(() -> assertThat(handshakes("echo", "timeout")).isEqualTo(1));
    }

    /** The handshake runs on the connection's own thread (or event loop), never where others are accepted. */
    @ParameterizedTest
    @MethodSource("concurrent")
    void servesOtherClientsWhileAHandshakeIsSilent(TlsServers.Server engine) throws Exception {
        InetSocketAddress echo = startEcho(engine); // the default timeout: 10 s
        try (EchoClient silent = EchoClient.connectWithoutGreeting(echo)) {
            for (int i = 0; i < 3; i++) {
                try (TlsClient other = TlsClient.connect(client(), echo)) {
                    assertThat(other.send("^a").readAscii(2)).isEqualTo("*b");
                }
            }
            assertThat(handshakes("echo", "timeout")).as("the silent client is still waited for").isZero();
            assertThat(handshakes("echo", "success")).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource("eachEngine")
    void servesAClientCertificateOfTheClientAuthority(TlsServers.Server engine) throws Exception {
        TestPki clients = TestPki.create(dir, "clients");
        InetSocketAddress echo = start(engine, config -> config.withTls(t -> t.withClientCa(clients.caFile())))
                .echoAddress();
        try (TlsClient client = TlsClient.connect(TlsClient.context(ca, clients.client("alice")), echo)) {
            assertThat(client.send("^a").readAscii(2)).isEqualTo("*b");
        }
        await().untilAsserted(() -> assertThat(handshakes("echo", "success")).isEqualTo(1));
    }

    static Stream<Arguments> refusedClientCertificates() {
        List<Arguments> cases = new ArrayList<>();
        for (TlsServers.Server engine : TlsServers.Server.eachEngine()) {
            cases.add(Arguments.of(engine, "expired", "bad_certificate"));
            cases.add(Arguments.of(engine, "not yet valid", "bad_certificate"));
            cases.add(Arguments.of(engine, "issued by another authority", "bad_certificate"));
            cases.add(Arguments.of(engine, "none", "missing_certificate"));
        }
        return cases.stream();
    }

    /**
     * No "wrong host" case: a server does not check a client certificate's names against
     * anything (the client's address is not a name it claims); what it checks is the chain to
     * --tls-client-ca and the validity dates.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusedClientCertificates")
    void refusesAndCountsABadClientCertificate(TlsServers.Server engine, String certificate, String result)
            throws Exception {
        TestPki clients = TestPki.create(dir, "clients");
        InetSocketAddress echo = start(engine, config -> config.withTls(t -> t.withClientCa(clients.caFile())))
                .echoAddress();
        Instant now = Instant.now();
        TestPki.Issued presented = switch (certificate) {
            case "expired" -> clients.client("alice", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
            case "not yet valid" -> clients.client("alice", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)));
            case "issued by another authority" -> TestPki.create(dir, "stranger").client("alice");
            default -> null;
        };
        assertThatThrownBy(() -> {
            // TLS 1.3: the client may finish its side before the server's refusal arrives; the
            // first read sees it.
            SSLContext context = presented == null ? TlsClient.context(ca, null)
                    : TlsClient.presentingAnyway(ca, presented);
            try (TlsClient client = TlsClient.connect(context, echo)) {
                client.send("^a").read(2);
            }
        }).isInstanceOf(IOException.class);
        await().untilAsserted(() -> {
            assertThat(handshakes("echo", result)).isEqualTo(1);
            assertThat(closed("echo", "handshake")).isEqualTo(1);
        });
    }

    /** A drain finishes a TLS connection that owes nothing: the client reads the end of the stream. */
    @ParameterizedTest
    @MethodSource("eachEngine")
    void drainsAnOpenTlsConnectionAtItsFrameBoundary(TlsServers.Server engine) throws Exception {
        InetSocketAddress echo = startEcho(engine);
        try (TlsClient client = TlsClient.connect(client(), echo)) {
            assertThat(client.send("^ab$").readAscii(3)).isEqualTo("*bc");
            Engine draining = server;
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> draining.shutdown(Duration.ofSeconds(20)));
            assertThat(client.readToEnd()).isEmpty();
            client.close();
            shutdown.get();
            server = null;
        }
        assertThat(closed("echo", "drained")).isEqualTo(1);
    }

    static List<EngineKind> engines() {
        return Arrays.stream(EngineKind.values()).toList();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void countsATlsClientOnAPlaintextPortAndClosesIt(EngineKind engine) throws Exception {
        TransportKind transport = engine.eventLoops() ? TransportKind.NIO : TransportKind.AUTO;
        server = Engines.start(ServerConfig.loopback(transport).withEngine(EngineSettings.of(engine)), metrics);
        SSLContext context = TlsClient.context(ca, null);
        assertThatThrownBy(() -> TlsClient.connect(context, server.echoAddress())).isInstanceOf(SSLException.class);
        await().untilAsserted(() -> assertThat(closed("echo", "unexpected_tls")).isEqualTo(1));
        // A plaintext client whose first byte happens to be the one a TLS record begins with is served.
        try (EchoClient client = EchoClient.connect(server.echoAddress())) {
            client.send("\u0016^a");
            assertThat(client.readAscii(1)).isEqualTo("b");
        }
    }
}
