package io.slipway.router.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an HTTP/2 request looks like to the proxy handler once converted, without sockets. */
class Http2PipelineTest {
    @Test
    void authorityBecomesTheOnlyHostAndConversionHeadersGo() {
        EmbeddedChannel ch = new EmbeddedChannel(new Http2StreamFrameToHttpObjectCodec(true),
                new Http2Pipeline.RequestCleaner());
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
        EmbeddedChannel ch = new EmbeddedChannel(new Http2StreamFrameToHttpObjectCodec(true),
                new Http2Pipeline.RequestCleaner());
        DefaultHttp2Headers h = new DefaultHttp2Headers();
        h.method("GET").path("/").scheme("https").authority("www.shop.test");
        h.add("host", "other-app.test");
        org.junit.jupiter.api.Assertions.assertThrows(io.netty.handler.codec.DecoderException.class,
                () -> ch.writeInbound(new DefaultHttp2HeadersFrame(h, true)));
        org.junit.jupiter.api.Assertions.assertNull(ch.readInbound(), "nothing reaches the proxy handler (the stream is reset)");
        ch.finishAndReleaseAll();
    }

    @Test
    void plainHttp1RequestsPassUntouched() {
        EmbeddedChannel ch = new EmbeddedChannel(new Http2Pipeline.RequestCleaner());
        HttpRequest in = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        in.headers().set("host", "a.test");
        ch.writeInbound(in);
        HttpRequest r = ch.readInbound();
        assertEquals("a.test", r.headers().get("host"));
        ch.finishAndReleaseAll();
    }
}
