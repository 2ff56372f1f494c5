package io.slipway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/2 stream is a child channel of the TLS connection that read the PROXY header: its client is the
 * connection's header source, not the balancer (the socket tests cover HTTP/1.1, plain and over TLS).
 */
class ProxyProtocolStreamTest {
    @Test
    void aStreamTakesItsConnectionsClient() {
        EmbeddedChannel connection = new EmbeddedChannel();
        InetSocketAddress client = new InetSocketAddress("203.0.113.9", 40000);
        connection.attr(ProxyProtocol.SOURCE).set(client);
        EmbeddedChannel stream = new EmbeddedChannel(connection, DefaultChannelId.newInstance(), true, false);
        assertEquals(client, ProxyProtocol.clientAddress(stream));
        assertEquals(client, ProxyProtocol.clientAddress(connection));
        connection.finishAndReleaseAll();
        stream.finishAndReleaseAll();
    }

    @Test
    void withoutAHeaderTheSocketsPeerIsTheClient() {
        EmbeddedChannel connection = new EmbeddedChannel();
        assertEquals(connection.remoteAddress(), ProxyProtocol.clientAddress(connection));
        connection.finishAndReleaseAll();
    }
}
