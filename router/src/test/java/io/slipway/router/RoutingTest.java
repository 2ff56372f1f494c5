package io.slipway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Await;
import io.slipway.router.support.RawHttp;
import io.slipway.router.support.RouterFixture;
import io.slipway.router.support.Upstream;
import io.slipway.shared.net.LocalPorts;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routing by Host against a real router, real upstream servers and a stub of the routes API. */
class RoutingTest {
    static RouterFixture f;
    static Upstream web1;
    static Upstream web2;
    static Upstream web3;
    static final UUID DEMO = UUID.randomUUID();
    static final UUID TRIO = UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        // booting.localhost never gets a dyno: its requests wait this long, then H20
        f = new RouterFixture(java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(55),
                java.time.Duration.ofMillis(300), false);
        web1 = f.upstream("one");
        web2 = f.upstream("two");
        web3 = f.upstream("three");
        List<java.util.Map<String, Object>> apps = List.of(
                ApiStub.app(DEMO, "demo", List.of("demo.localhost", "www.example.com"), "up", false, web1.port()),
                ApiStub.app(TRIO, "trio", List.of("trio.localhost"), "up", false,
                        web1.port(), web2.port(), web3.port()),
                ApiStub.app(UUID.randomUUID(), "idle", List.of("idle.localhost"), "none", false),
                ApiStub.app(UUID.randomUUID(), "broken", List.of("broken.localhost"), "crashed", false),
                ApiStub.app(UUID.randomUUID(), "booting", List.of("booting.localhost"), "starting", false),
                ApiStub.app(UUID.randomUUID(), "closed", List.of("closed.localhost"), "up", true, web1.port()));
        // the router may have read the (empty) table already: announce each app as the api-server would
        for (java.util.Map<String, Object> app : apps) {
            f.api.putApp(app);
            f.api.emit("app.created", UUID.fromString((String) app.get("app_id")));
        }
        Await.until("routes loaded", f.router::routesLoaded);
        Await.until("all apps routed", () -> status("closed.localhost") == 503);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void routesByHostIncludingCustomDomainsCaseAndPort() throws Exception {
        assertEquals("hello from one", f.get("demo.localhost", "/").body());
        assertEquals("hello from one", f.get("WWW.Example.com:8080", "/").body());
    }

    @Test
    void unknownHostGetsThePlain404Page() throws Exception {
        HttpResponse<String> r = f.get("nope.localhost", "/");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("There's nothing here, yet."), r.body());
    }

    @Test
    void herokuErrorsForAppsThatCannotServe() throws Exception {
        HttpResponse<String> none = f.get("idle.localhost", "/");
        assertEquals(503, none.statusCode());
        assertTrue(none.body().contains("Application Error"));
        assertEquals(503, f.get("broken.localhost", "/").statusCode());
        assertEquals(503, f.get("booting.localhost", "/").statusCode());
        HttpResponse<String> maintenance = f.get("closed.localhost", "/");
        assertEquals(503, maintenance.statusCode());
        assertTrue(maintenance.body().contains("Offline for Maintenance"), maintenance.body());
        Await.until("H14/H10/H20/H80 lines", () -> {
            String all = String.join("\n", f.api.routerLogMessages());
            return all.contains("at=error code=H14 desc=\"No web processes running\" method=GET path=\"/\" host=idle.localhost")
                    && all.contains("dyno= connect= service= status=503 bytes= protocol=http")
                    && all.contains("code=H10 desc=\"App crashed\"")
                    && all.contains("code=H20 desc=\"App boot timeout\"")
                    && all.contains("code=H80 desc=\"Maintenance mode\"");
        });
    }

    @Test
    void roundRobinAcrossThreeDynos() throws Exception {
        Set<String> bodies = new HashSet<>();
        for (int i = 0; i < 6; i++) bodies.add(f.get("trio.localhost", "/").body());
        assertEquals(Set.of("hello from one", "hello from two", "hello from three"), bodies);
    }

    @Test
    void refusedConnectionIsRetriedOnAnotherDyno() throws Exception {
        int deadPort = LocalPorts.freePort(); // nothing listens there
        UUID id = UUID.randomUUID();
        f.api.putApp(ApiStub.app(id, "flaky", List.of("flaky.localhost"), "up", false, deadPort, web2.port()));
        f.api.emit("routes.changed", id);
        Await.until("flaky routed", () -> status("flaky.localhost") != 404);
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = f.get("flaky.localhost", "/");
            assertEquals(200, r.statusCode());
            assertEquals("hello from two", r.body());
        }
    }

    @Test
    void keepAliveOnBothSidesReusesTheUpstreamConnection() throws Exception {
        Upstream solo = f.upstream("solo");
        UUID id = UUID.randomUUID();
        f.api.putApp(ApiStub.app(id, "solo", List.of("solo.localhost"), "up", false, solo.port()));
        f.api.emit("routes.changed", id);
        Await.until("solo routed", () -> status("solo.localhost") == 200);
        int before = solo.seen().size();
        try (RawHttp c = new RawHttp(f.router.port())) {
            for (int i = 0; i < 5; i++) {
                RawHttp.Response r = c.get("solo.localhost", "/");
                assertEquals(200, r.status());
                assertEquals("hello from solo", r.body());
            }
        }
        Set<Integer> ports = solo.seen().subList(before, solo.seen().size()).stream()
                .map(Upstream.Seen::remotePort).collect(Collectors.toSet());
        assertEquals(1, ports.size(), "five requests over one client connection used upstream ports " + ports);
    }

    @Test
    void forwardingHeadersReachTheDyno() throws Exception {
        Upstream hdr = f.upstream("hdr");
        UUID id = UUID.randomUUID();
        f.api.putApp(ApiStub.app(id, "hdr", List.of("hdr.localhost"), "up", false, hdr.port()));
        f.api.emit("routes.changed", id);
        Await.until("hdr routed", () -> status("hdr.localhost") == 200);
        try (RawHttp c = new RawHttp(f.router.port())) {
            c.send("GET /x?y=1 HTTP/1.1\r\nHost: hdr.localhost\r\nX-Forwarded-For: 10.1.2.3\r\n"
                    + "X-Request-Id: abcdefghij0123456789-keep\r\nConnection: keep-alive, X-Secret\r\n"
                    + "X-Secret: hop\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("1.1 vegur", r.headers().get("via"));
            c.send("GET /z HTTP/1.1\r\nHost: hdr.localhost\r\nX-Request-Id: bad id\r\n\r\n");
            assertEquals(200, c.read().status());
        }
        Upstream.Seen first = hdr.seen().get(hdr.seen().size() - 2);
        Upstream.Seen second = hdr.seen().get(hdr.seen().size() - 1);
        assertEquals("10.1.2.3, 127.0.0.1", first.headers().getFirst("X-Forwarded-For"));
        assertEquals("http", first.headers().getFirst("X-Forwarded-Proto"));
        assertEquals(String.valueOf(f.router.port()), first.headers().getFirst("X-Forwarded-Port"));
        assertEquals("abcdefghij0123456789-keep", first.headers().getFirst("X-Request-Id"));
        assertEquals("1.1 vegur", first.headers().getFirst("Via"));
        long start = Long.parseLong(first.headers().getFirst("X-Request-Start"));
        assertTrue(Math.abs(System.currentTimeMillis() - start) < 600_000, "X-Request-Start is ms epoch: " + start);
        assertEquals(null, first.headers().getFirst("X-Secret"), "headers named in Connection stay on their hop");
        String generated = second.headers().getFirst("X-Request-Id");
        assertNotNull(generated);
        assertNotEquals("bad id", generated);
        UUID.fromString(generated);
        assertEquals("127.0.0.1", second.headers().getFirst("X-Forwarded-For"));
    }

    @Test
    void accessLogLineIsShippedInHerokuFormat() throws Exception {
        f.get("demo.localhost", "/logged?a=1");
        Await.until("router line", () -> f.api.logLines().stream().anyMatch(l ->
                DEMO.toString().equals(l.get("app_id"))
                        && String.valueOf(l.get("message")).contains("path=\"/logged?a=1\"")));
        Map<String, Object> line = f.api.logLines().stream()
                .filter(l -> String.valueOf(l.get("message")).contains("path=\"/logged?a=1\"")).findFirst().get();
        assertEquals("heroku", line.get("source"));
        assertEquals("router", line.get("dyno"));
        String m = (String) line.get("message");
        assertTrue(m.matches("at=info method=GET path=\"/logged\\?a=1\" host=demo\\.localhost request_id=[0-9a-f-]{36}"
                + " fwd=\"127\\.0\\.0\\.1\" dyno=web\\.1 connect=\\d+ms service=\\d+ms status=200 bytes=14"
                + " protocol=http"), m);
    }

    @Test
    void routeChangesApplyWithoutRestart() throws Exception {
        Upstream before = f.upstream("before");
        Upstream after = f.upstream("after");
        UUID id = UUID.randomUUID();
        f.api.putApp(ApiStub.app(id, "mover", List.of("mover.localhost"), "up", false, before.port()));
        f.api.emit("app.created", id);
        Await.until("mover on before", () -> body("mover.localhost").equals("hello from before"));
        f.api.putApp(ApiStub.app(id, "mover", List.of("mover.localhost", "moved.example.org"), "up", false,
                after.port()));
        f.api.emit("dyno.state_changed", id);
        Await.until("mover on after", () -> body("mover.localhost").equals("hello from after"));
        assertEquals("hello from after", body("moved.example.org"));
        f.api.removeApp(id);
        f.api.emit("app.deleted", id);
        Await.until("mover gone", () -> status("mover.localhost") == 404);
    }

    /** RFC 9112 3.2.2: the host of an absolute-form target wins over Host; the dyno gets origin-form. */
    @Test
    void absoluteFormTargetIsRoutedByItsHostAndForwardedInOriginForm() throws Exception {
        Upstream abs = f.upstream("abs");
        UUID id = UUID.randomUUID();
        f.api.putApp(ApiStub.app(id, "abs", List.of("abs.localhost"), "up", false, abs.port()));
        f.api.emit("routes.changed", id);
        Await.until("abs routed", () -> status("abs.localhost") == 200);
        try (RawHttp c = new RawHttp(f.router.port())) {
            c.send("GET http://ABS.localhost:8080/p/q?x=1 HTTP/1.1\r\nHost: demo.localhost\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("hello from abs", r.body());
            c.send("GET HTTP://abs.localhost HTTP/1.1\r\n\r\n"); // no Host at all, no path
            assertEquals("hello from abs", c.read().body());
        }
        Upstream.Seen first = abs.seen().get(abs.seen().size() - 2);
        assertEquals("/p/q?x=1", first.target(), "origin-form to the dyno");
        assertEquals("ABS.localhost:8080", first.headers().getFirst("Host"), "Host is the target's authority");
        assertEquals("/", abs.seen().get(abs.seen().size() - 1).target());
        Await.until("abs line", () -> f.api.routerLogMessages().stream().anyMatch(m ->
                m.startsWith("at=info method=GET path=\"/p/q?x=1\" host=ABS.localhost:8080 ")));
    }

    @Test
    void absoluteFormTargetWithoutAHostIsABadRequest() throws Exception {
        try (RawHttp c = new RawHttp(f.router.port())) {
            c.send("GET http:///p HTTP/1.1\r\nHost: demo.localhost\r\n\r\n");
            assertEquals(400, c.read().status());
        }
    }

    @Test
    void oversizedRequestLineAndHeadersAreRefused() throws Exception {
        try (RawHttp c = new RawHttp(f.router.port())) {
            c.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: demo.localhost\r\n\r\n");
            assertEquals(414, c.read().status());
        }
        try (RawHttp c = new RawHttp(f.router.port())) {
            c.send("GET / HTTP/1.1\r\nHost: demo.localhost\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n");
            assertEquals(431, c.read().status());
        }
    }

    @Test
    void http10ClientGetsAnAnswerToo() throws Exception {
        try (RawHttp c = new RawHttp(f.router.port())) {
            c.send("GET / HTTP/1.0\r\nHost: demo.localhost\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("hello from one", r.body());
            assertTrue(c.closedByServer());
        }
    }

    static int status(String host) {
        try {
            return f.get(host, "/").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    static String body(String host) {
        try {
            return f.get(host, "/").body();
        } catch (Exception e) {
            return "";
        }
    }
}
