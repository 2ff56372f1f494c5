package io.slipway.router.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an HTTP/2 request looks like to the proxy handler once converted, without sockets. */
class Http2PipelineTest {
    @Test
    void authorityBecomesTheOnlyHostAndConversionHeadersGo() {
        EmbeddedChannel ch = new EmbeddedChannel(Http2Pipeline.StreamCodec.INSTANCE);
        DefaultHttp2Headers h = new DefaultHttp2Headers();
        h.method("GET").path("/x?y=1").scheme("https").authority("www.shop.test:8443");
        h.add("host", "www.shop.test:8443"); // the same name twice (a different one is refused by the codec)
        h.add("cookie", "a=1");
        h.add("cookie", "b=2");
        ch.writeInbound(new DefaultHttp2HeadersFrame(h, true));
        HttpRequest r = ch.readInbound();
        assertFalse(r instanceof io.netty.handler.codec.http.FullHttpRequest, "a head, as the HTTP/1.1 codec gives");
        assertTrue(ch.readInbound() instanceof io.netty.handler.codec.http.LastHttpContent,
                "then the request's end: the handler completes the exchange and pools the dyno connection");
        assertEquals(HttpMethod.GET, r.method());
        assertEquals("/x?y=1", r.uri());
        assertEquals(HttpVersion.HTTP_1_1, r.protocolVersion());
        assertEquals(List.of("www.shop.test:8443"), r.headers().getAll("host"), "one Host header for the dyno");
        assertFalse(r.headers().names().stream().anyMatch(n -> n.toLowerCase().startsWith("x-http2-")),
                r.headers().names().toString());
        assertEquals("a=1; b=2", r.headers().get("cookie"), "HTTP/2's split cookies are joined for HTTP/1.1");
        ch.finishAndReleaseAll();
    }

    @Test
    void aHostDifferentFromTheAuthorityIsRefused() {
        EmbeddedChannel ch = new EmbeddedChannel(Http2Pipeline.StreamCodec.INSTANCE);
        DefaultHttp2Headers h = new DefaultHttp2Headers();
        h.method("GET").path("/").scheme("https").authority("www.shop.test");
        h.add("host", "other-app.test");
        org.junit.jupiter.api.Assertions.assertThrows(io.netty.handler.codec.DecoderException.class,
                () -> ch.writeInbound(new DefaultHttp2HeadersFrame(h, true)));
        org.junit.jupiter.api.Assertions.assertNull(ch.readInbound(), "nothing reaches the proxy handler (the stream is reset)");
        ch.finishAndReleaseAll();
    }

    @Test
    void aRequestWithABodyIsAChunkedHeadItsDataAndItsEndCleanedTheSameWay() {
        EmbeddedChannel ch = new EmbeddedChannel(Http2Pipeline.StreamCodec.INSTANCE);
        DefaultHttp2Headers h = new DefaultHttp2Headers();
        h.method("POST").path("/upload").scheme("https").authority("www.shop.test");
        h.add("cookie", "a=1");
        h.add("cookie", "b=2");
        ch.writeInbound(new DefaultHttp2HeadersFrame(h, false));
        ch.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("part", StandardCharsets.US_ASCII), true));
        HttpRequest r = ch.readInbound();
        assertEquals(HttpMethod.POST, r.method());
        assertEquals("chunked", r.headers().get("transfer-encoding"), "no length given: streamed to the dyno chunked");
        assertFalse(r.headers().names().stream().anyMatch(n -> n.toLowerCase().startsWith("x-http2-")),
                r.headers().names().toString());
        assertEquals("a=1; b=2", r.headers().get("cookie"));
        HttpContent body = ch.readInbound();
        assertTrue(body instanceof LastHttpContent, "the DATA frame with END_STREAM ends the request");
        assertEquals("part", body.content().toString(StandardCharsets.US_ASCII));
        body.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void oneCodecServesEveryStream() {
        EmbeddedChannel a = new EmbeddedChannel(Http2Pipeline.StreamCodec.INSTANCE);
        EmbeddedChannel b = new EmbeddedChannel(Http2Pipeline.StreamCodec.INSTANCE);
        for (EmbeddedChannel ch : List.of(a, b, a)) {
            DefaultHttp2Headers h = new DefaultHttp2Headers();
            h.method("GET").path("/").scheme("https").authority(ch == a ? "a.test" : "b.test");
            ch.writeInbound(new DefaultHttp2HeadersFrame(h, true));
        }
        assertEquals("a.test", ((HttpRequest) a.readInbound()).headers().get("host"));
        assertTrue(a.readInbound() instanceof LastHttpContent);
        assertEquals("a.test", ((HttpRequest) a.readInbound()).headers().get("host"));
        assertEquals("b.test", ((HttpRequest) b.readInbound()).headers().get("host"));
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }
}
