package dev.ricochet.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceAddressesTest {

    @Test
    void expandsRangesAndLists() {
        assertThat(SourceAddresses.parse("127.0.0.1-127.0.0.3,127.0.1.255-127.0.2.0"))
                .extracting(InetAddress::getHostAddress)
                .containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.1.255", "127.0.2.0");
    }

    @Test
    void isEmptyWhenNotGiven() {
        assertThat(SourceAddresses.parse(null)).isEmpty();
    }

    @Test
    void rejectsWhatIsNotAnIpv4AddressOrRange() {
        assertThatThrownBy(() -> SourceAddresses.parse("localhost")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.1-127.0.0.2-127.0.0.3")).hasMessageContaining("more than one '-'");
    }
}
