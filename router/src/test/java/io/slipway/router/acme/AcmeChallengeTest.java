package io.slipway.router.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Await;
import io.slipway.router.support.RawHttp;
import io.slipway.router.support.RouterFixture;
import io.slipway.router.support.Upstream;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router answers ACME HTTP-01 challenges itself on its plain listener (a real router, a real upstream, the
 * api-server's challenge contract from the stub): the key authorization for the token's own Host, 404 for any
 * other host or token, and neither ever reaches the app's dyno; every other path is proxied as before.
 */
class AcmeChallengeTest {
    static RouterFixture f;
    static Upstream web;

    @BeforeAll
    static void start() throws Exception {
        f = new RouterFixture();
        web = f.upstream("acme");
        UUID app = UUID.randomUUID();
        f.api.putApp(ApiStub.app(app, "shop", List.of("shop.localhost", "www.shop.test"), "up", false, web.port()));
        f.api.emit("app.created", app);
        Await.until("route loaded", () -> {
            try {
                return f.get("www.shop.test", "/").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        f.api.putChallenge("tok_abc-123", "www.shop.test", "tok_abc-123.thumbprint");
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static boolean dynoSawChallengePath() {
        return web.seen().stream().anyMatch(s -> s.path().startsWith("/.well-known/acme-challenge"));
    }

    @Test
    void answersTheTokenForItsOwnHostOnly() throws Exception {
        var ok = f.get("www.shop.test:80", "/.well-known/acme-challenge/tok_abc-123");
        assertEquals(200, ok.statusCode());
        assertEquals("tok_abc-123.thumbprint", ok.body());
        assertTrue(ok.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        // the same app's other hostname, another token, a token with a path in it: 404
        assertEquals(404, f.get("shop.localhost", "/.well-known/acme-challenge/tok_abc-123").statusCode());
        assertEquals(404, f.get("www.shop.test", "/.well-known/acme-challenge/other").statusCode());
        assertEquals(404, f.get("www.shop.test", "/.well-known/acme-challenge/a/b").statusCode());
        assertEquals(404, f.get("www.shop.test", "/.well-known/acme-challenge/").statusCode());
        assertTrue(!dynoSawChallengePath(), "a challenge request reached the dyno");
        // everything else still goes to the app
        assertEquals(200, f.get("www.shop.test", "/.well-known/other").statusCode());
    }

    @Test
    void aPipelinedRequestBehindAChallengeIsNotAnsweredOutOfOrder() throws Exception {
        try (RawHttp raw = new RawHttp(f.router.port())) {
            raw.send("GET /.well-known/acme-challenge/tok_abc-123 HTTP/1.1\r\nHost: www.shop.test\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: www.shop.test\r\n\r\n");
            RawHttp.Response first = raw.read();
            assertEquals(200, first.status());
            assertEquals("tok_abc-123.thumbprint", first.body());
            assertTrue(raw.closedByServer(), "the connection closes after the challenge answer");
        }
    }
}
