package dev.ricochet.server.connection;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The address of the client a connection serves, as per-connection logs name it: the source a
 * PROXY protocol header carried ({@code --proxy-protocol}, the client behind the load
 * balancer), else the socket's peer.
 */
public final class ClientAddress {

    /** Set only on a connection whose PROXY header carried an IPv4 or IPv6 source. */
    private static final AttributeKey<InetSocketAddress> PROXIED = AttributeKey.valueOf(ClientAddress.class, "proxied");

    private ClientAddress() {
    }

    /** The client's address: the proxied source when a PROXY header gave one, the socket's peer otherwise. */
    public static SocketAddress of(Channel channel) {
        InetSocketAddress proxied = channel.hasAttr(PROXIED) ? channel.attr(PROXIED).get() : null;
        return proxied != null ? proxied : channel.remoteAddress();
    }

    static void setProxied(Channel channel, InetSocketAddress source) {
        channel.attr(PROXIED).set(source);
    }
}
