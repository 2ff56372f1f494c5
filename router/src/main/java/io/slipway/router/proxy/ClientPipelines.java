package io.slipway.router.proxy;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The handlers that carry HTTP/1 requests to dynos, for whichever listener accepted the connection: a plain or
 * TLS HTTP/1.1 connection ({@link #http1}), or one HTTP/2 stream already converted to HTTP/1 objects
 * ({@link #stream}). Every path ends in the same {@link ClientHandler}, so Heroku's routing rules, error pages,
 * header handling and router log line are the same whatever the client spoke.
 */
public final class ClientPipelines {
    private final ProxyContext context;
    private final long idleMillis;

    ClientPipelines(ProxyContext context, long idleMillis) {
        this.context = context;
        this.idleMillis = idleMillis;
    }

    /** Heroku's idle window (55 s by default), in milliseconds. */
    public long idleMillis() {
        return idleMillis;
    }

    /**
     * An HTTP/1.x connection: an idle timer (client reads; {@link ClientHandler} watches the rest), a codec limiting
     * the request line and the headers to 8 KB each (Heroku's limits) and the handler.
     */
    public void http1(ChannelPipeline p, boolean https) {
        HttpDecoderConfig limits = new HttpDecoderConfig()
                .setMaxInitialLineLength(ProxyServer.MAX_REQUEST_LINE)
                .setMaxHeaderSize(ProxyServer.MAX_HEADERS)
                .setMaxChunkSize(64 * 1024);
        p.addLast(ClientHandler.IDLE, new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS))
                .addLast(ClientHandler.CODEC, new HttpServerCodec(limits))
                .addLast("client", new ClientHandler(context, https));
    }

    /** One HTTP/2 stream (over TLS), after a codec that turns its frames into HTTP/1 objects. */
    public void stream(ChannelPipeline p) {
        p.addLast(ClientHandler.IDLE, new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS))
                .addLast("client", new ClientHandler(context, true));
    }
}
