package dev.ricochet.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ricochet.server.config.ServerConfig;
import dev.ricochet.server.engine.NettyEngine;
import dev.ricochet.server.kind.TlsProvider;
import dev.ricochet.server.metrics.MetricNames;
import dev.ricochet.server.metrics.ServerMetrics;
import dev.ricochet.server.testing.EchoClient;
import dev.ricochet.server.testing.ReferenceCase;
import dev.ricochet.server.testing.TestServer;
import dev.ricochet.server.testing.Transports;
import dev.ricochet.server.transport.TransportKind;
import dev.ricochet.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The echo and prime ports over TLS, on real loopback sockets, with both providers: the
 * protocols' reference cases, the replies' records, and every bad input at the edge with its
 * counted outcome.
 */
class TlsOverLoopbackTest {

    @TempDir
    Path dir;

    private TestPki ca;
    private TestPki.Issued serverCertificate;
    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private NettyEngine server;

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
        metrics.close();
    }

    static List<TlsProvider> providers() {
        return TlsServers.providers();
    }

    static Stream<Arguments> providersAndTransports() {
        List<Arguments> cases = new ArrayList<>();
        for (TlsProvider provider : TlsServers.providers()) {
            for (TransportKind transport : Transports.underTest()) {
                cases.add(Arguments.of(provider, transport));
            }
        }
        return cases.stream();
    }

    private InetSocketAddress startEcho(ServerConfig config) throws Exception {
        server = TestServer.start(config, metrics);
        return server.echoAddress();
    }

    private ServerConfig tls(TlsProvider provider) {
        return TlsServers.config(TransportKind.NIO, provider, serverCertificate);
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

    @ParameterizedTest
    @MethodSource("providersAndTransports")
    void answersTheEchoReferenceCasesOverTls(TlsProvider provider, TransportKind transport) throws Exception {
        InetSocketAddress echo = startEcho(TlsServers.config(transport, provider, serverCertificate));
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

    @ParameterizedTest
    @MethodSource("providersAndTransports")
    void answersPrimeRequestsOverTls(TlsProvider provider, TransportKind transport) throws Exception {
        server = TestServer.start(TlsServers.config(transport, provider, serverCertificate)
                .withPrime(prime -> prime.withMethod(dev.ricochet.server.prime.PrimeMethod.MILLER_RABIN)), metrics);
        try (TlsClient client = TlsClient.connect(client(), server.primeAddress())) {
            client.send("7\n8\n2305843009213693951\n");
            assertThat(client.readAscii("prime\ncomposite\nprime\n".length())).isEqualTo("prime\ncomposite\nprime\n");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void answersAThousandBytesSentInOneRecordInAFewRecords(TlsProvider provider) throws Exception {
        InetSocketAddress echo = startEcho(tls(provider));
        try (RecordCountingClient client = RecordCountingClient.connect(ca, echo)) {
            assertThat(client.readAscii(1)).isEqualTo("*");
            // Every record so far (TLS 1.3 encrypts the handshake's and the session tickets' as
            // application data too) came before the greeting: what follows are the replies'.
            int before = client.applicationRecords();
            byte[] frame = new byte[1000];
            java.util.Arrays.fill(frame, (byte) 'a');
            frame[0] = '^';
            client.send(frame);
            assertThat(client.readAscii(999)).isEqualTo("b".repeat(999));
            // One record per read batch: one per byte would be 999. One read, or two when the
            // client's record reaches the server in two segments.
            assertThat(client.applicationRecords() - before).isBetween(1, 2);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closesAndCountsPlaintextSentToATlsPort(TlsProvider provider) throws Exception {
        InetSocketAddress echo = startEcho(tls(provider));
        try (EchoClient client = EchoClient.connectWithoutGreeting(echo)) {
            client.send("^abc$ plaintext, not a ClientHello");
            assertThat(client.serverClosed()).isTrue();
        }
        await().untilAsserted(() -> {
            assertThat(handshakes("echo", "not_tls")).isEqualTo(1);
            assertThat(closed("echo", "handshake")).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @MethodSource("providers")
    void countsAConnectionClosedBeforeItsClientHelloAsClosedByTheClient(TlsProvider provider) throws Exception {
        InetSocketAddress echo = startEcho(tls(provider));
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
    @MethodSource("providers")
    void closesAndCountsAHandshakeThatNeverFinishes(TlsProvider provider) throws Exception {
        InetSocketAddress echo = startEcho(tls(provider).withTls(t -> t.withHandshakeTimeout(Duration.ofMillis(300))));
        try (EchoClient client = EchoClient.connectWithoutGreeting(echo)) {
            // Connected, and silent: no ClientHello ever comes.
            assertThat(client.serverClosed()).isTrue();
        }
        await().untilAsserted(() -> {
            assertThat(handshakes("echo", "timeout")).isEqualTo(1);
            assertThat(closed("echo", "handshake")).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aDrainClosesAConnectionMidHandshakeAtOnceItIsOwedNothing(TlsProvider provider) throws Exception {
        InetSocketAddress echo = startEcho(tls(provider).withTls(t -> t.withHandshakeTimeout(Duration.ofMinutes(5))));
        try (EchoClient client = EchoClient.connectWithoutGreeting(echo)) {
            // Half a ClientHello: the handshake has begun and will not finish.
            client.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
            await().until(() -> server.stats().openConnections() == 1);
            // The grace and the handshake timeout outlast the client's read timeout: only the
            // drain's own close can end the read.
            NettyEngine draining = server;
            server = null;
            Thread.ofVirtual().start(() -> draining.shutdown(Duration.ofMinutes(5)));
            // No greeting: nothing, or the JDK engine's closing alerts (records of type 21).
            assertThat(client.readToEnd()).satisfiesAnyOf(bytes -> assertThat(bytes).isEmpty(),
                    bytes -> assertThat(bytes[0]).isEqualTo((byte) 21));
        }
        await().untilAsserted(() -> assertThat(closed("echo", "drained")).isEqualTo(1));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void servesAClientCertificateOfTheClientAuthority(TlsProvider provider) throws Exception {
        TestPki clients = TestPki.create(dir, "clients");
        InetSocketAddress echo = startEcho(tls(provider).withTls(t -> t.withClientCa(clients.caFile())));
        try (TlsClient client = TlsClient.connect(TlsClient.context(ca, clients.client("alice")), echo)) {
            assertThat(client.send("^a").readAscii(2)).isEqualTo("*b");
        }
        await().untilAsserted(() -> assertThat(handshakes("echo", "success")).isEqualTo(1));
    }

    static Stream<Arguments> refusedClientCertificates() {
        List<Arguments> cases = new ArrayList<>();
        for (TlsProvider provider : TlsServers.providers()) {
            cases.add(Arguments.of(provider, "expired", "bad_certificate"));
            cases.add(Arguments.of(provider, "not yet valid", "bad_certificate"));
            cases.add(Arguments.of(provider, "issued by another authority", "bad_certificate"));
            cases.add(Arguments.of(provider, "none", "missing_certificate"));
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
    void refusesAndCountsABadClientCertificate(TlsProvider provider, String certificate, String result)
            throws Exception {
        TestPki clients = TestPki.create(dir, "clients");
        InetSocketAddress echo = startEcho(tls(provider).withTls(t -> t.withClientCa(clients.caFile())));
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

    @Test
    void countsATlsClientOnAPlaintextPortAndClosesIt() throws Exception {
        InetSocketAddress echo = startEcho(ServerConfig.loopback(TransportKind.NIO));
        SSLContext context = TlsClient.context(ca, null);
        assertThatThrownBy(() -> TlsClient.connect(context, echo)).isInstanceOf(SSLException.class);
        await().untilAsserted(() -> assertThat(closed("echo", "unexpected_tls")).isEqualTo(1));
    }
}
