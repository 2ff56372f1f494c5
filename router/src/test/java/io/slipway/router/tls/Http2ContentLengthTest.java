package io.slipway.router.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile HTTP/2 client whose {@code content-length} disagrees with the DATA it sends: the stream's HTTP/1 request
 * goes to a pooled dyno connection with that length, so a request that ended short would let the next request on that
 * connection (another visitor's) be read by the dyno as its body. The client's frames go through the real frame
 * codecs (client and server, bytes between them) and the router's stream pipeline; the server must reset such a
 * stream rather than pass on a request whose length is a lie.
 */
class Http2ContentLengthTest {
    private final List<Object> reachedHandler = new ArrayList<>();
    private final EmbeddedChannel server = new EmbeddedChannel(
            Http2FrameCodecBuilder.forServer().validateHeaders(true).build(),
            new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel stream) {
                    stream.pipeline().addLast(Http2Pipeline.StreamCodec.INSTANCE, new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            reachedHandler.add(msg instanceof HttpContent c ? c.content().toString(StandardCharsets.US_ASCII)
                                    + (msg instanceof LastHttpContent ? "<end>" : "") : msg);
                            ReferenceCountUtil.release(msg);
                        }
                    });
                }
            }));
    private final List<Object> clientGot = new ArrayList<>();
    /** The client's side after its frame codec: it opens streams and keeps what the server answers. */
    private final Http2ChannelDuplexHandler clientStreams = new Http2ChannelDuplexHandler() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            clientGot.add(msg);
            ReferenceCountUtil.release(msg);
        }
    };
    private final EmbeddedChannel client = new EmbeddedChannel(Http2FrameCodecBuilder.forClient().build(), clientStreams);

    @AfterEach
    void close() {
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    @Test
    void aBodilessRequestThatClaimsABodyIsResetAndNeverReachesTheDynoSide() {
        Http2FrameStream stream = clientStreams.newStream();
        client.writeOutbound(new DefaultHttp2HeadersFrame(headers("GET").add("content-length", "40"), true).stream(stream));
        exchange();
        assertTrue(reachedHandler.stream().noneMatch(m -> m instanceof HttpRequest), "no request head: " + reachedHandler);
        assertTrue(clientGot.stream().anyMatch(m -> m instanceof Http2ResetFrame), "the stream is reset: " + clientGot);
    }

    @Test
    void aBodyShorterThanItsContentLengthIsResetBeforeItsEnd() {
        post("40", "short");
        assertTrue(reachedHandler.stream().noneMatch("short<end>"::equals), "the request is never ended as complete: "
                + reachedHandler);
        assertTrue(clientGot.stream().anyMatch(m -> m instanceof Http2ResetFrame), "the stream is reset: " + clientGot);
    }

    @Test
    void anHonestLengthPassesWhole() {
        post("5", "exact");
        assertEquals(2, reachedHandler.size(), reachedHandler.toString());
        assertEquals("5", ((HttpRequest) reachedHandler.get(0)).headers().get("content-length"));
        assertEquals("exact<end>", reachedHandler.get(1));
    }

    /** A POST on a new stream: its head claiming CONTENT_LENGTH, then BODY in one DATA frame that ends the stream. */
    private void post(String contentLength, String body) {
        Http2FrameStream stream = clientStreams.newStream();
        client.writeOutbound(new DefaultHttp2HeadersFrame(headers("POST").add("content-length", contentLength), false)
                .stream(stream));
        client.writeOutbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII), true)
                .stream(stream));
        exchange();
    }

    private static DefaultHttp2Headers headers(String method) {
        DefaultHttp2Headers h = new DefaultHttp2Headers();
        h.method(method).path("/").scheme("https").authority("www.shop.test");
        return h;
    }

    /** Moves bytes both ways until neither side has more to say (preface, settings, acks, frames, resets). */
    private void exchange() {
        for (int round = 0; round < 10; round++) {
            boolean moved = pump(client, server) | pump(server, client);
            if (!moved) return;
        }
    }

    private static boolean pump(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf b; (b = from.readOutbound()) != null; ) {
            to.writeInbound(b);
            moved = true;
        }
        return moved;
    }
}
