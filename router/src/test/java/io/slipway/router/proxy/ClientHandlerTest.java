package io.slipway.router.proxy;

import static io.slipway.router.proxy.EmbeddedRouter.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientHandler} and its {@link DynoLeg} without sockets: Heroku's timeouts (H12, H15), the dyno closing
 * (H13, H18, the resend on a stale pooled connection) and dynos refusing connections (retry elsewhere, skipped
 * for the cooldown, H19), with time moved by hand rather than waited for.
 */
class ClientHandlerTest {

    /** The request head the dyno got on {@code up}, or null. */
    private static HttpRequest sentTo(EmbeddedChannel up) {
        Object o;
        while ((o = up.readOutbound()) != null) {
            if (o instanceof HttpRequest r) return r;
            ReferenceCountUtil.release(o);
        }
        return null;
    }

    @Test
    void proxiesToTheDynoAndReusesItsConnectionForTheNextRequest() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("demo.example", "up", 5000)));
            r.get("demo.example", "/a");
            EmbeddedChannel up = r.dynos.inUse;
            HttpRequest sent = sentTo(up);
            assertNotNull(sent);
            assertEquals("/a", sent.uri());
            assertEquals("1.1 vegur", sent.headers().get("Via"));
            r.dynos.answer("hi");
            HttpResponse resp = r.response();
            assertEquals(200, resp.status().code());
            assertEquals("info", r.lastCode());
            assertEquals("web.1", r.lines.get(0).dyno());

            r.get("demo.example", "/b");
            assertEquals(1, r.dynos.opened.size(), "the second request went over the pooled connection");
            assertEquals("/b", sentTo(up).uri());
        }
    }

    @Test
    void noFirstByteWithinThirtySecondsIsH12() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("slow.example", "up", 5000)));
            r.get("slow.example", "/");
            r.advance(Duration.ofSeconds(29));
            assertNull(r.response(), "still within the window");
            assertTrue(r.lines.isEmpty());
            r.advance(Duration.ofSeconds(1));
            assertEquals(503, r.response().status().code());
            assertEquals("H12", r.lastCode());
            assertFalse(r.client.isOpen(), "the client connection is closed after H12");
            assertFalse(r.dynos.inUse.isOpen(), "and so is the dyno's");
        }
    }

    @Test
    void theFirstByteWindowStartsAfreshForEachRequestOnAConnection() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("again.example", "up", 5000)));
            r.get("again.example", "/1");
            r.dynos.answer("1"); // armed the connection's one timer, due at 30 s
            assertEquals(200, r.response().status().code());
            r.advance(Duration.ofSeconds(20));
            r.get("again.example", "/2"); // its own deadline: 50 s
            r.advance(Duration.ofSeconds(29)); // 49 s: the timer fired at 30 s and re-armed
            assertNull(r.response());
            assertEquals(1, r.lines.size());
            r.advance(Duration.ofSeconds(1));
            assertEquals(503, r.response().status().code());
            assertEquals("H12", r.lastCode());
        }
    }

    @Test
    void nothingMovingForTheIdleWindowIsH15() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("quiet.example", "up", 5000)));
            r.get("quiet.example", "/");
            EmbeddedChannel up = r.dynos.inUse;
            up.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK)); // head only
            assertEquals(200, r.response().status().code());
            r.advance(Duration.ofSeconds(40));
            up.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)));
            r.advance(Duration.ofSeconds(40)); // the client's side idle 80 s, but the dyno sent a byte at 40 s
            assertTrue(r.client.isOpen(), "bytes from the dyno keep the window open");
            assertTrue(r.lines.isEmpty());
            r.advance(Duration.ofSeconds(55));
            assertFalse(r.client.isOpen(), "a stalled response is cut after the window");
            assertEquals("H15", r.lastCode());
            assertEquals(200, r.lines.get(0).status(), "the status already sent stays in the line");
        }
    }

    @Test
    void aDynoSilentForTheIdleWindowBeforeItsFirstByteGetsTheH15Page() {
        // with a first-byte timeout longer than the idle window, the idle window is what ends the wait
        try (EmbeddedRouter r = new EmbeddedRouter(Duration.ofSeconds(90), Duration.ZERO)) {
            r.table.replaceAll(List.of(app("quiet.example", "up", 5000)));
            r.get("quiet.example", "/");
            r.advance(Duration.ofSeconds(54));
            assertNull(r.response());
            r.advance(Duration.ofSeconds(1));
            assertEquals(503, r.response().status().code());
            assertEquals("H15", r.lastCode());
            assertFalse(r.client.isOpen());
        }
    }

    @Test
    void dynoClosingBeforeAnsweringIsH13() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("rude.example", "up", 5000)));
            r.get("rude.example", "/");
            r.dynos.inUse.close();
            assertEquals(503, r.response().status().code());
            assertEquals("H13", r.lastCode());
            assertEquals(1, r.dynos.opened.size(), "a fresh connection is not retried");
        }
    }

    @Test
    void dynoClosingWhileTheBodyStreamsIsH18() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("upload.example", "up", 5000)));
            HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
            post.headers().set("Host", "upload.example").set("Transfer-Encoding", "chunked");
            r.client.writeInbound(post);
            r.client.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer("part", StandardCharsets.UTF_8)));
            r.dynos.inUse.close();
            assertEquals(503, r.response().status().code());
            assertEquals("H18", r.lastCode());
        }
    }

    @Test
    void dynoClosingAfterTheResponseStartedIsLoggedH13AndCutsTheClient() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("cut.example", "up", 5000)));
            r.get("cut.example", "/");
            EmbeddedChannel up = r.dynos.inUse;
            up.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
            assertEquals(200, r.response().status().code());
            up.close();
            assertFalse(r.client.isOpen());
            assertEquals("H13", r.lastCode());
            assertEquals(200, r.lines.get(0).status());
        }
    }

    @Test
    void aStalePooledConnectionIsResentOnceForASafeRequest() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("stale.example", "up", 5000)));
            r.get("stale.example", "/1");
            EmbeddedChannel first = r.dynos.inUse;
            assertEquals("/1", sentTo(first).uri());
            r.dynos.answer("1");
            assertEquals(200, r.response().status().code());
            r.get("stale.example", "/2"); // goes over the pooled connection...
            assertEquals("/2", sentTo(first).uri());
            first.close(); // ...which the dyno had just closed
            assertEquals(2, r.dynos.opened.size(), "resent on a new connection");
            EmbeddedChannel second = r.dynos.inUse;
            assertEquals("/2", sentTo(second).uri());
            r.dynos.answer("2");
            assertEquals(200, r.response().status().code());
            assertEquals("info", r.lastCode());
        }
    }

    @Test
    void aRefusedDynoIsRetriedOnAnotherAndSkippedForTheCooldown() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("flaky.example", "up", 5001, 5002)));
            r.dynos.refusing.add(5001);
            for (int i = 0; i < 4; i++) {
                r.get("flaky.example", "/");
                sentTo(r.dynos.inUse);
                r.dynos.answer("two");
                assertEquals(200, r.response().status().code());
            }
            assertEquals(List.of(5001, 5002), r.dynos.connectsTo, "5001 tried once, then skipped; 5002 pooled");
            assertEquals("web.2", r.lines.get(3).dyno());
            r.dynos.refusing.clear();
            r.advance(EmbeddedRouter.COOLDOWN);
            for (int i = 0; i < 2; i++) {
                r.get("flaky.example", "/");
                sentTo(r.dynos.inUse);
                r.dynos.answer("x");
                assertEquals(200, r.response().status().code());
            }
            assertEquals(List.of(5001, 5002, 5001), r.dynos.connectsTo, "after the cooldown 5001 gets a request again");
        }
    }

    @Test
    void connectTimingOutOnEveryDynoIsH19AndRefusedEverywhereIsH13() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("gone.example", "up", 5001, 5002)));
            r.dynos.timingOut.addAll(List.of(5001, 5002));
            r.get("gone.example", "/");
            assertEquals(503, r.response().status().code());
            assertEquals("H19", r.lastCode());
            assertEquals(List.of(5001, 5002), r.dynos.connectsTo, "each dyno once");
        }
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("dead.example", "up", 6001)));
            r.dynos.refusing.add(6001);
            r.get("dead.example", "/");
            assertEquals(503, r.response().status().code());
            assertEquals("H13", r.lastCode());
        }
    }

    @Test
    void aClosedConnectionLeavesNoTimerBehind() {
        // each HTTP/2 stream is a connection of its own here: thousands close per second, and a timer left to fire
        // 30 s later would keep each one's pipeline in memory until then
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("demo.example", "up", 5000)));
            r.get("demo.example", "/");
            sentTo(r.dynos.inUse);
            r.dynos.answer("hi");
            assertEquals(200, r.response().status().code());
            // the handlers see the connection go (closing the embedded channel would cancel every task itself)
            r.client.pipeline().fireChannelInactive();
            assertEquals(-1, r.client.runScheduledPendingTasks(), "no timer pending once the connection went");
        }
    }
}
