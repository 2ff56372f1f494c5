package io.slipway.router.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.slipway.router.proxy.ClientPipelines;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client connection: Netty's frame codec and one child channel per stream, each converted to the HTTP/1
 * objects the plain listener's handler reads, so every stream is proxied to its dyno over HTTP/1.1 exactly as an
 * HTTP/1.1 request would be. Flow control follows the handler: a stream whose dyno is slow stops being read, its
 * window stops being replenished and the client stops sending on it (other streams go on). A stream the client
 * resets closes its child channel, which the handler treats as a client gone (H27).
 */
final class Http2Pipeline {
    /** Streams at once per connection (nginx's http2_max_concurrent_streams is 128). */
    static final int MAX_CONCURRENT_STREAMS = 128;
    /** The request head limit: Heroku's 8 KB of headers, plus room for HPACK's per-field overhead. */
    static final int MAX_HEADER_LIST = 16 * 1024;

    private Http2Pipeline() {}

    static void configure(ChannelPipeline p, ClientPipelines pipelines) {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(MAX_HEADER_LIST))
                .validateHeaders(true)
                .build();
        p.addLast("h2", codec)
                .addLast("h2-idle", new IdleStateHandler(0, 0, pipelines.idleMillis(), TimeUnit.MILLISECONDS))
                .addLast("h2-idle-close", new IdleClose(codec))
                .addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast("h2-http1", StreamCodec.INSTANCE);
                        pipelines.stream(stream.pipeline());
                    }
                }));
    }

    /** A connection without any stream for the idle window is closed (with a GOAWAY); streams time out on their own. */
    static final class IdleClose extends ChannelInboundHandlerAdapter {
        private final Http2FrameCodec codec;

        IdleClose(Http2FrameCodec codec) {
            this.codec = codec;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!(evt instanceof IdleStateEvent)) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            if (codec.connection().numActiveStreams() == 0) ctx.close();
        }
    }

    /**
     * One stream's frames as the HTTP/1 objects the proxy handler reads, one instance for every stream of every
     * connection (it keeps no state; a handler made per stream was measurable set-up work on each request).
     *
     * <p>A bodiless request (END_STREAM on its HEADERS, nearly every GET) becomes a head and the empty last content,
     * what the HTTP/1.1 codec produces, so the handler sees the request end (and reuses its dyno connection); Netty's
     * own conversion would make a {@code FullHttpRequest} with a freshly allocated empty buffer, to be split again.
     *
     * <p>Netty's conversion adds its own {@code x-http2-*} headers (stream id, scheme) to the HTTP/1 request: they are
     * ours, not the client's, and not for the dyno. Connection-level headers are forbidden in HTTP/2 (the codec
     * refuses them); removing them again keeps a request from ever asking the handler for an upgrade. A client
     * that sends a {@code host} field beside {@code :authority} would leave two Host headers; {@code :authority}
     * (translated first) wins, as RFC 9113 §8.3.1 prefers it. HTTP/2 clients split {@code cookie} into one field
     * per pair; HTTP/1.1 wants one header joined with {@code "; "} (RFC 9113 §8.2.3).
     */
    @ChannelHandler.Sharable
    static final class StreamCodec extends Http2StreamFrameToHttpObjectCodec {
        static final StreamCodec INSTANCE = new StreamCodec();

        private StreamCodec() {
            super(true, true);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) throws Exception {
            if (frame instanceof Http2HeadersFrame headers && headers.isEndStream() && headers.headers().method() != null) {
                // the same conversion and checks (validated names and values, :authority against host) as Netty's
                HttpRequest head = HttpConversionUtil.toHttpRequest(headers.stream() == null ? 0 : headers.stream().id(),
                        headers.headers(), true);
                clean(head.headers());
                out.add(head);
                out.add(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            int first = out.size();
            super.decode(ctx, frame, out);
            for (int i = first; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest request) clean(request.headers());
            }
        }

        private static void clean(HttpHeaders h) {
            for (HttpConversionUtil.ExtensionHeaderNames name : EXTENSION_HEADERS) h.remove(name.text());
            if (h.getAll(HttpHeaderNames.HOST).size() > 1) h.set(HttpHeaderNames.HOST, h.get(HttpHeaderNames.HOST));
            List<String> cookies = h.getAll(HttpHeaderNames.COOKIE);
            if (cookies.size() > 1) h.set(HttpHeaderNames.COOKIE, String.join("; ", cookies));
            h.remove(HttpHeaderNames.UPGRADE);
            h.remove(HttpHeaderNames.CONNECTION);
        }

        private static final HttpConversionUtil.ExtensionHeaderNames[] EXTENSION_HEADERS =
                HttpConversionUtil.ExtensionHeaderNames.values();
    }
}
