package io.slipway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.slipway.router.routes.AppRoute;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link HttpsRedirect} without sockets: when it redirects, where to, with which status. */
class HttpsRedirectPolicyTest {
    private static final AppRoute HTTPS_ONLY = new AppRoute(UUID.randomUUID(), "secure", List.of("secure.test"), false,
            "up", List.of(), true);
    private static final AppRoute OPEN = new AppRoute(UUID.randomUUID(), "open", List.of("open.test"), false, "up",
            List.of(), false);

    private static Exchange exchange(String method, String host, String target, boolean https) {
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target);
        request.headers().set("Host", host);
        Exchange e = Exchange.of(request, "127.0.0.1", 0);
        e.https = https;
        return e;
    }

    @Test
    void onlyPlainRequestsOfHttpsOnlyAppsOnceAnHttpsListenerIsUp() {
        HttpsRedirect r = new HttpsRedirect();
        assertNull(r.location(exchange("GET", "secure.test", "/", false), HTTPS_ONLY), "no HTTPS listener yet");
        r.httpsPort(8443);
        assertEquals("https://secure.test:8443/a?b=c", r.location(exchange("GET", "Secure.Test.:80", "/a?b=c", false),
                HTTPS_ONLY));
        assertNull(r.location(exchange("GET", "secure.test", "/", true), HTTPS_ONLY), "already HTTPS");
        assertNull(r.location(exchange("GET", "open.test", "/", false), OPEN), "the switch is off");
        r.httpsPort(443);
        assertEquals("https://secure.test/", r.location(exchange("GET", "secure.test", "/", false), HTTPS_ONLY));
    }

    @Test
    void acmeChallengesOnlyWhenTheyAreOneToken() {
        assertTrue(HttpsRedirect.isChallenge("/.well-known/acme-challenge/LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"));
        assertFalse(HttpsRedirect.isChallenge("/.well-known/acme-challenge/"));
        assertFalse(HttpsRedirect.isChallenge("/.well-known/acme-challenge/../admin"));
        assertFalse(HttpsRedirect.isChallenge("/.well-known/acme-challenge/a/b"));
        HttpsRedirect r = new HttpsRedirect();
        r.httpsPort(443);
        assertNull(r.location(exchange("GET", "secure.test", "/.well-known/acme-challenge/tok_1?x", false), HTTPS_ONLY));
        assertEquals("https://secure.test/.well-known/acme-challenge/../admin", r.location(
                exchange("GET", "secure.test", "/.well-known/acme-challenge/../admin", false), HTTPS_ONLY));
    }

    @Test
    void getAndHeadAre301OthersKeepTheirMethodWith308() {
        assertEquals(301, HttpsRedirect.response("GET", "https://x/").status().code());
        assertEquals(301, HttpsRedirect.response("HEAD", "https://x/").status().code());
        for (String m : List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            assertEquals(308, HttpsRedirect.response(m, "https://x/").status().code(), m);
        }
        assertEquals("https://x/", HttpsRedirect.response("GET", "https://x/").headers().get("Location"));
        assertEquals("0", HttpsRedirect.response("GET", "https://x/").headers().get("Content-Length"));
    }
}
