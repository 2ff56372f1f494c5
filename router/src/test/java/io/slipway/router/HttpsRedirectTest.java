package io.slipway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.router.config.RouterConfig;
import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Await;
import io.slipway.router.support.RawHttp;
import io.slipway.router.support.RouterFixture;
import io.slipway.router.support.TestCerts;
import io.slipway.router.support.Upstream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code https-only} lab feature in a real router with real sockets: plain HTTP requests for such an app (its
 * default domain and custom domains) get 301 (GET, HEAD) or 308 (other methods) to the same host and target over
 * HTTPS, without reaching a dyno, with the Heroku router line; HTTPS requests and ACME challenges go through. The
 * scheme is the listener's: {@code X-Forwarded-Proto} from a client turns nothing on or off, also behind the
 * balancer (PROXY protocol, TLS passthrough). The switch follows the event stream without a restart.
 */
class HttpsRedirectTest {
    @TempDir
    static Path dir;
    static TestCerts certs;
    static RouterFixture f;
    static RouterFixture behind;
    static RouterFixture noTls;
    static Upstream web;
    static final UUID SECURE = UUID.randomUUID();
    static final UUID OPEN = UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        certs = new TestCerts(dir);
        TestCerts.Issued wildcard = certs.issue("wildcard", "*.apps.test", "www.secure.test");
        f = new RouterFixture(new RouterConfig.Tls(0, wildcard.chainFile(), wildcard.keyFile()), true);
        // behind a balancer listening on 443: redirects name no port
        behind = RouterFixture.withProxyProtocol(new RouterConfig.Tls(0, wildcard.chainFile(), wildcard.keyFile(), 443));
        noTls = new RouterFixture();
        web = f.upstream("web");
        for (RouterFixture r : List.of(f, behind, noTls)) {
            r.api.putApp(app(SECURE, "secure", List.of("secure.apps.test", "www.secure.test"), true));
            r.api.putApp(app(OPEN, "open", List.of("open.apps.test"), false));
            r.api.emit("routes.changed", SECURE);
            r.api.emit("routes.changed", OPEN);
        }
        Await.until("https-only app redirected", () -> plain(f, "GET", "secure.apps.test", "/", "").status() == 301);
        Await.until("open app served", () -> plain(f, "GET", "open.apps.test", "/", "").status() == 200);
        Await.until("behind the balancer", () -> viaBalancer("secure.apps.test", "").status() == 301);
        Await.until("without TLS", () -> plain(noTls, "GET", "secure.apps.test", "/", "").status() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        for (RouterFixture r : new RouterFixture[] {f, behind, noTls}) if (r != null) r.close();
    }

    static Map<String, Object> app(UUID id, String name, List<String> hosts, boolean httpsOnly) {
        Map<String, Object> r = ApiStub.app(id, name, hosts, "up", false, web.port());
        r.put("https_only", httpsOnly);
        return r;
    }

    @Test
    void plainGetAndHeadGet301ToTheSameHostAndTargetWithoutADyno() throws Exception {
        int tls = f.router.tlsPort();
        RawHttp.Response r = plain(f, "GET", "secure.apps.test:" + f.router.port(), "/shop/cart?id=7&x=%20y", "");
        assertEquals(301, r.status());
        assertEquals("https://secure.apps.test:" + tls + "/shop/cart?id=7&x=%20y", r.headers().get("location"));
        assertEquals("", r.body());
        RawHttp.Response custom = plain(f, "HEAD", "WWW.Secure.Test", "/", "");
        assertEquals(301, custom.status());
        assertEquals("https://www.secure.test:" + tls + "/", custom.headers().get("location"));
        assertFalse(web.seen().stream().anyMatch(s -> s.path().startsWith("/shop")), "no dyno was contacted");
        Await.until("the router line of the redirect", () -> f.api.routerLogMessages().stream().anyMatch(l ->
                l.startsWith("at=info") && l.contains("path=\"/shop/cart?id=7&x=%20y\"") && l.contains("dyno= ")
                        && l.contains("status=301") && l.endsWith("protocol=http")));
    }

    @Test
    void otherMethodsGet308AndTheConnectionServesTheNextRequest() throws Exception {
        try (RawHttp c = new RawHttp(f.router.port())) {
            c.send("POST /orders?x=1 HTTP/1.1\r\nHost: www.secure.test\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 11\r\n\r\nhello world");
            RawHttp.Response r = c.read();
            assertEquals(308, r.status(), "308 keeps the method and the body");
            assertEquals("https://www.secure.test:" + f.router.tlsPort() + "/orders?x=1", r.headers().get("location"));
            c.send("DELETE /orders/1 HTTP/1.1\r\nHost: secure.apps.test\r\n\r\n");
            assertEquals(308, c.read().status());
            c.send("GET /after HTTP/1.1\r\nHost: open.apps.test\r\n\r\n");
            assertEquals(200, c.read().status(), "the dropped body did not spill into the next request");
        }
        assertFalse(web.seen().stream().anyMatch(s -> s.path().startsWith("/orders")), "no dyno was contacted");
    }

    @Test
    void httpsRequestsReachTheDyno() throws Exception {
        String r = overTls(f, null, "secure.apps.test", "/over-tls", "");
        assertTrue(r.startsWith("HTTP/1.1 200"), r);
        assertEquals("https", seen("/over-tls").headers().getFirst("X-Forwarded-Proto"));
    }

    @Test
    void acmeChallengesAreAnsweredNotRedirected() throws Exception {
        f.api.putChallenge("tok_secure-1", "www.secure.test", "tok_secure-1.thumbprint");
        RawHttp.Response r = plain(f, "GET", "www.secure.test", "/.well-known/acme-challenge/tok_secure-1", "");
        assertEquals(200, r.status());
        assertEquals("tok_secure-1.thumbprint", r.body());
        assertEquals(404, plain(f, "GET", "secure.apps.test", "/.well-known/acme-challenge/unknown", "").status(),
                "an unknown token is the router's 404, not a redirect");
    }

    /** The attack: a client's header must not turn the redirect off (plain) or on (HTTPS). */
    @Test
    void aClientsXForwardedProtoChangesNothing() throws Exception {
        RawHttp.Response spoofOff = plain(f, "GET", "secure.apps.test", "/spoof-off",
                "X-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\n");
        assertEquals(301, spoofOff.status());
        String spoofOn = overTls(f, null, "secure.apps.test", "/spoof-on", "X-Forwarded-Proto: http\r\n");
        assertTrue(spoofOn.startsWith("HTTP/1.1 200"), spoofOn);
        assertEquals("https", seen("/spoof-on").headers().getFirst("X-Forwarded-Proto"));
        assertFalse(web.seen().stream().anyMatch(s -> s.path().equals("/spoof-off")));
    }

    @Test
    void behindTheBalancerTheListenerDecidesAndThePublicPortIsNamed() throws Exception {
        RawHttp.Response r = viaBalancer("secure.apps.test", "X-Forwarded-Proto: https\r\n");
        assertEquals(301, r.status(), "the header from the client behind the balancer changes nothing");
        assertEquals("https://secure.apps.test/pp", r.headers().get("location"), "443 is not written");
        String tls = overTls(behind, v2(), "secure.apps.test", "/behind-tls", "X-Forwarded-Proto: http\r\n");
        assertTrue(tls.startsWith("HTTP/1.1 200"), tls);
        assertEquals("https", seen("/behind-tls").headers().getFirst("X-Forwarded-Proto"));
    }

    @Test
    void withoutAnHttpsListenerNothingIsRedirected() throws Exception {
        assertEquals(200, plain(noTls, "GET", "secure.apps.test", "/no-tls", "").status());
    }

    @Test
    void switchingOnAndOffTakesEffectWithoutARestart() throws Exception {
        UUID id = UUID.randomUUID();
        f.api.putApp(app(id, "toggle", List.of("toggle.apps.test"), false));
        f.api.emit("app.created", id);
        Await.until("served over plain HTTP", () -> plain(f, "GET", "toggle.apps.test", "/", "").status() == 200);
        f.api.putApp(app(id, "toggle", List.of("toggle.apps.test"), true));
        f.api.emit("app.feature_changed", id);
        Await.until("redirected once on", () -> plain(f, "GET", "toggle.apps.test", "/", "").status() == 301);
        f.api.putApp(app(id, "toggle", List.of("toggle.apps.test"), false));
        f.api.emit("app.feature_changed", id);
        Await.until("served again once off", () -> plain(f, "GET", "toggle.apps.test", "/", "").status() == 200);
    }

    // ---- clients ------------------------------------------------------------------------------------------

    static RawHttp.Response plain(RouterFixture r, String method, String host, String target, String headers) {
        try (RawHttp c = new RawHttp(r.router.port())) {
            c.send(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Connection: close\r\n\r\n");
            RawHttp.Response response = c.read();
            return method.equals("HEAD") ? new RawHttp.Response(response.status(), response.headers(), "") : response;
        } catch (IOException e) {
            return new RawHttp.Response(-1, Map.of(), e.toString());
        }
    }

    /** One request over TLS (after {@code proxyHeader}, when given), the raw answer. */
    static String overTls(RouterFixture r, String proxyHeader, String host, String target, String headers)
            throws Exception {
        try (Socket raw = new Socket("127.0.0.1", r.router.tlsPort())) {
            raw.setSoTimeout(30_000);
            if (proxyHeader != null) raw.getOutputStream().write(proxyHeader.getBytes(StandardCharsets.ISO_8859_1));
            try (SSLSocket tls = (SSLSocket) certs.clientContext().getSocketFactory()
                    .createSocket(raw, host, r.router.tlsPort(), true)) {
                tls.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                tls.getOutputStream().flush();
                return new String(tls.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
    }

    static RawHttp.Response viaBalancer(String host, String headers) {
        try (RawHttp c = new RawHttp(behind.router.port())) {
            c.send(v2() + "GET /pp HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "\r\n");
            return c.read();
        } catch (IOException e) {
            return new RawHttp.Response(-1, Map.of(), e.toString());
        }
    }

    /** A PROXY v2 header for a client at 203.0.113.9 (the balancer's send-proxy-v2). */
    static String v2() {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put("\r\n\r\n\0\r\nQUIT\n".getBytes(StandardCharsets.ISO_8859_1));
        b.put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        b.put(new byte[] {(byte) 203, 0, 113, 9}).put(new byte[] {127, 0, 0, 1}).putShort((short) 40000)
                .putShort((short) 8443);
        return new String(b.array(), StandardCharsets.ISO_8859_1);
    }

    static Upstream.Seen seen(String path) {
        return web.seen().stream().filter(s -> s.path().equals(path)).findFirst().orElseThrow();
    }
}
