package io.slipway.router.proxy;

import static io.slipway.router.proxy.EmbeddedRouter.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.slipway.router.routes.AppRoute;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 6 on the handler, with the clock moved by hand: a request for an app whose dynos are all
 * booting waits up to the boot timeout (75 s, Heroku's H20 limit), past the 55 s idle window, and goes to the
 * first dyno that comes up.
 */
class BootWaitHandlerTest {
    private static final Duration BOOT = Duration.ofSeconds(75);

    @Test
    void waitsPastTheIdleWindowAndGoesToTheFirstDynoUp() {
        try (EmbeddedRouter r = new EmbeddedRouter(EmbeddedRouter.FIRST_BYTE, BOOT)) {
            AppRoute booting = app("boot.example", "starting");
            r.table.replaceAll(List.of(booting));
            r.get("boot.example", "/queued");
            r.advance(Duration.ofSeconds(74));
            assertNull(r.response(), "still waiting at 74 s (the 55 s idle window does not cut it)");
            assertTrue(r.dynos.connectsTo.isEmpty());
            assertTrue(r.lines.isEmpty());
            AppRoute up = new AppRoute(booting.appId(), "boot", List.of("boot.example"), false, "up",
                    app("boot.example", "up", 5000).webDynos());
            r.table.put(up);
            r.advance(Duration.ofMillis(100));
            assertEquals(List.of(5000), r.dynos.connectsTo, "the dyno that came up got the request");
            assertEquals("/queued", r.dynos.received().uri());
            r.dynos.answer("served");
            assertEquals(200, r.response().status().code());
            assertEquals("info", r.lastCode());
        }
    }

    @Test
    void noDynoWithinTheBootTimeoutIsH20AndTheHeldBodyIsDropped() {
        try (EmbeddedRouter r = new EmbeddedRouter(EmbeddedRouter.FIRST_BYTE, BOOT)) {
            r.table.replaceAll(List.of(app("never.example", "starting")));
            HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/form");
            post.headers().set("Host", "never.example").set("Content-Length", 5);
            r.client.writeInbound(post, new DefaultLastHttpContent(Unpooled.copiedBuffer("hello",
                    StandardCharsets.UTF_8)));
            r.advance(Duration.ofSeconds(74));
            assertNull(r.response());
            r.advance(Duration.ofSeconds(1));
            assertEquals(503, r.response().status().code());
            assertEquals("H20", r.lastCode());
            assertTrue(r.client.isOpen(), "a refusal keeps the connection: the body was read and dropped");
            r.get("never.example", "/next");
            r.advance(BOOT);
            assertEquals(503, r.response().status().code(), "the next request on the connection is handled");
            assertEquals(2, r.lines.size());
        }
    }

    @Test
    void anAppThatCrashesWhileBootingAnswersH10AtOnce() {
        try (EmbeddedRouter r = new EmbeddedRouter(EmbeddedRouter.FIRST_BYTE, BOOT)) {
            AppRoute booting = app("crash.example", "starting");
            r.table.replaceAll(List.of(booting));
            r.get("crash.example", "/");
            r.advance(Duration.ofSeconds(10));
            r.table.put(new AppRoute(booting.appId(), "crash", List.of("crash.example"), false, "crashed", List.of()));
            r.advance(Duration.ofMillis(100));
            assertEquals(503, r.response().status().code());
            assertEquals("H10", r.lastCode());
        }
    }

    @Test
    void withoutABootTimeoutH20IsAnsweredAtOnce() {
        try (EmbeddedRouter r = new EmbeddedRouter()) {
            r.table.replaceAll(List.of(app("boot.example", "starting")));
            r.get("boot.example", "/");
            assertEquals(503, r.response().status().code());
            assertEquals("H20", r.lastCode());
        }
    }
}
