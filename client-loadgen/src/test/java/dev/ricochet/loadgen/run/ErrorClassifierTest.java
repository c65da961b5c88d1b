package dev.ricochet.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

    @Test
    void aConnectTimeoutIsATimeoutThoughItIsAConnectException() {
        assertThat(ErrorClassifier.classify(new ConnectTimeoutException("connection timed out after 5000 ms")))
                .isEqualTo(ErrorKind.TIMEOUT);
    }

    @Test
    void nativeErrnosNameTheirKind() {
        assumeTrue(Epoll.isAvailable(), "the native library does not load here");
        assertThat(ErrorClassifier.classify(Errors.newConnectionResetException("read", Errors.ERRNO_ECONNRESET_NEGATIVE)))
                .isEqualTo(ErrorKind.RESET);
        assertThat(ErrorClassifier.classify(Errors.newIOException("write", Errors.ERRNO_EPIPE_NEGATIVE)))
                .isEqualTo(ErrorKind.RESET);
        assertThat(ErrorClassifier.classify(Errors.newIOException("read", Errors.ERRNO_EBADF_NEGATIVE)))
                .isEqualTo(ErrorKind.OTHER);
    }

    @Test
    void messageTextAloneClassifiesNothing() {
        assertThat(ErrorClassifier.classify(new IOException("Connection reset by peer"))).isEqualTo(ErrorKind.OTHER);
        assertThat(ErrorClassifier.classify(new IOException("connection refused, timed out"))).isEqualTo(ErrorKind.OTHER);
    }

    @Test
    void aWrappedCauseIsFound() {
        assertThat(ErrorClassifier.classify(new IOException("annotated", new ClosedChannelException())))
                .isEqualTo(ErrorKind.CLOSED_EARLY);
    }

    @Test
    void aRefusedNioConnectIsRefused() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (SocketChannel channel = SocketChannel.open()) {
            Throwable refused = catchThrowable(
                    () -> channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort)));
            assertThat(ErrorClassifier.classify(refused)).as(String.valueOf(refused)).isEqualTo(ErrorKind.REFUSED);
        }
    }

    @Test
    void aResetSeenByANioReadIsAReset() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                SocketChannel channel = SocketChannel.open(listener.getLocalSocketAddress())) {
            try (Socket accepted = listener.accept()) {
                accepted.setSoLinger(true, 0); // close with RST
            }
            Throwable reset = catchThrowable(() -> {
                while (channel.read(ByteBuffer.allocate(16)) >= 0) {
                    Thread.onSpinWait();
                }
            });
            assertThat(ErrorClassifier.classify(reset)).as(String.valueOf(reset)).isEqualTo(ErrorKind.RESET);
        }
    }
}
