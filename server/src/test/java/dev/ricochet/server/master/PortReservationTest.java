package dev.ricochet.server.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import org.junit.jupiter.api.Test;

class PortReservationTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void acceptsNoConnectionItself() throws IOException {
        try (PortReservation reserved = PortReservation.hold(LOOPBACK, 0)) {
            assertThat(reserved.port()).isPositive();
            assertThatThrownBy(() -> new Socket(LOOPBACK, reserved.port()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void keepsAnOrdinaryProgramOffThePort() throws IOException {
        try (PortReservation reserved = PortReservation.hold(LOOPBACK, 0); ServerSocket other = new ServerSocket()) {
            other.setReuseAddress(true); // even one that asks to reuse the address
            assertThatThrownBy(() -> other.bind(new InetSocketAddress(LOOPBACK, reserved.port())))
                    .hasMessageContaining("Address already in use");
        }
    }

    @Test
    void letsWorkersWithReusePortListenThereOneAfterAnother() throws IOException {
        try (PortReservation reserved = PortReservation.hold(LOOPBACK, 0)) {
            for (int worker = 0; worker < 2; worker++) {
                try (ServerSocket listener = new ServerSocket()) {
                    listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                    listener.bind(new InetSocketAddress(LOOPBACK, reserved.port()));
                    try (Socket client = new Socket(LOOPBACK, reserved.port()); Socket accepted = listener.accept()) {
                        assertThat(accepted.getPort()).isEqualTo(client.getLocalPort());
                    }
                }
            }
        }
    }

    @Test
    void cannotHoldAPortAnOrdinaryProgramListensOn() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, LOOPBACK)) {
            assertThatThrownBy(() -> PortReservation.hold(LOOPBACK, taken.getLocalPort()).close())
                    .hasMessageContaining("Address already in use");
        }
    }
}
