package io.slipway.router.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.slipway.router.proxy.ClientPipelines;

/**
 * The HTTPS listener's connections: {@link SniHandler} picks the certificate for the client's server name from the
 * {@link CertificateStore} (lock-free), the handshake offers {@code h2} and {@code http/1.1} by ALPN, and then the
 * connection becomes either the HTTP/1.1 pipeline of the plain listener or an HTTP/2 connection whose streams end in
 * that same pipeline ({@link Http2Pipeline}). Clients without ALPN get HTTP/1.1.
 */
public final class TlsListener {
    /** A client that has not finished its handshake by then is dropped (nginx: client_header_timeout, 60 s). */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private TlsListener() {}

    /** The channel initializer for the TLS listener's connections. */
    public static ChannelHandler initializer(CertificateStore store, ClientPipelines pipelines) {
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                        .addLast("sni", new SniHandler(store, HANDSHAKE_TIMEOUT_MILLIS))
                        .addLast("alpn", new Negotiation(pipelines));
            }
        };
    }

    /** After the handshake: HTTP/2 or HTTP/1.1 as negotiated. */
    static final class Negotiation extends ApplicationProtocolNegotiationHandler {
        private final ClientPipelines pipelines;

        Negotiation(ClientPipelines pipelines) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.pipelines = pipelines;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                Http2Pipeline.configure(ctx.pipeline(), pipelines);
            } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
                pipelines.http1(ctx.pipeline(), true);
            } else {
                ctx.close(); // cannot happen: ALPN offers only these two
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // old protocols, scanners, plain HTTP on the TLS port: nothing worth a log line each
        }
    }
}
