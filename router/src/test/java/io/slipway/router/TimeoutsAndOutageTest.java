package io.slipway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Await;
import io.slipway.router.support.RawHttp;
import io.slipway.router.support.RouterFixture;
import io.slipway.router.support.Upstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** H12, the 503 before routes arrive, and an api-server outage that must not take routing down. */
class TimeoutsAndOutageTest {

    @Test
    void slowDynoGetsH12AfterTheFirstByteTimeout() throws Exception {
        try (RouterFixture f = new RouterFixture(Duration.ofMillis(500), true)) {
            Upstream slow = f.upstream("slow");
            UUID id = UUID.randomUUID();
            f.api.putApp(ApiStub.app(id, "slow", List.of("slow.localhost"), "up", false, slow.port()));
            f.api.emit("routes.changed", id);
            Await.until("slow routed", () -> {
                try {
                    return f.get("slow.localhost", "/").statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            HttpResponse<String> r = f.get("slow.localhost", "/slow?ms=3000");
            assertEquals(503, r.statusCode());
            assertTrue(r.body().contains("Application Error"));
            Await.until("H12 line", () -> f.api.routerLogMessages().stream().anyMatch(m ->
                    m.startsWith("at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow?ms=3000\"")
                            && m.contains(" dyno=web.1 ") && m.contains(" status=503 ")));
        }
    }

    /**
     * The H12 timer is one per connection: the one armed by a first quick request fires during a second,
     * slower (but within its own window) request on the same keep-alive connection and must re-arm, not cut it.
     */
    @Test
    void firstByteWindowStartsAfreshForEachRequestOnAConnection() throws Exception {
        try (RouterFixture f = new RouterFixture(Duration.ofMillis(2000), true)) {
            Upstream slow = f.upstream("slow");
            UUID id = UUID.randomUUID();
            f.api.putApp(ApiStub.app(id, "again", List.of("again.localhost"), "up", false, slow.port()));
            f.api.emit("routes.changed", id);
            Await.until("again routed", () -> {
                try {
                    return f.get("again.localhost", "/").statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            try (RawHttp c = new RawHttp(f.router.port())) {
                assertEquals(200, c.get("again.localhost", "/").status());
                Thread.sleep(1200); // the connection's timer now fires 800 ms into the next request
                assertEquals(200, c.get("again.localhost", "/slow?ms=1200").status());
                assertEquals(200, c.get("again.localhost", "/").status());
            }
        }
    }

    @Test
    void silentConnectionGetsH15AfterTheIdleWindow() throws Exception {
        try (RouterFixture f = new RouterFixture(Duration.ofSeconds(30), Duration.ofMillis(500), true)) {
            Upstream slow = f.upstream("slow");
            UUID id = UUID.randomUUID();
            f.api.putApp(ApiStub.app(id, "quiet", List.of("quiet.localhost"), "up", false, slow.port()));
            f.api.emit("routes.changed", id);
            Await.until("quiet routed", () -> {
                try {
                    return f.get("quiet.localhost", "/").statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            HttpResponse<String> r = f.get("quiet.localhost", "/slow?ms=3000");
            assertEquals(503, r.statusCode());
            Await.until("H15 line", () -> f.api.routerLogMessages().stream().anyMatch(m ->
                    m.startsWith("at=error code=H15 desc=\"Idle connection\" method=GET path=\"/slow?ms=3000\"")));
        }
    }

    @Test
    void dynoClosingWithoutAnswerGetsH13() throws Exception {
        try (RouterFixture f = new RouterFixture();
             java.net.ServerSocket rude = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!rude.isClosed()) {
                    try (java.net.Socket s = rude.accept()) {
                        s.getInputStream().read(new byte[1024]); // take the request head, answer nothing
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "rude-dyno");
            t.setDaemon(true);
            t.start();
            UUID id = UUID.randomUUID();
            f.api.putApp(ApiStub.app(id, "rude", List.of("rude.localhost"), "up", false, rude.getLocalPort()));
            f.api.emit("routes.changed", id);
            Await.until("rude routed", () -> {
                try {
                    return f.get("rude.localhost", "/").statusCode() == 503;
                } catch (Exception e) {
                    return false;
                }
            });
            Await.until("H13 line", () -> f.api.routerLogMessages().stream().anyMatch(m ->
                    m.startsWith("at=error code=H13 desc=\"Connection closed without response\" method=GET")
                            && m.contains(" status=503 ")));
        }
    }

    @Test
    void answers503UntilRoutesLoadThenServes() throws Exception {
        try (RouterFixture f = RouterFixture.withRoutesUnavailable()) {
            Upstream web = f.upstream("web");
            f.api.putApp(ApiStub.app(UUID.randomUUID(), "late", List.of("late.localhost"), "up", false, web.port()));
            HttpResponse<String> early = f.get("late.localhost", "/");
            assertEquals(503, early.statusCode());
            assertTrue(early.body().contains("Router starting"), early.body());
            f.api.routesAvailable(true);
            Await.until("routes loaded", f.router::routesLoaded);
            assertEquals("hello from web", f.get("late.localhost", "/").body());
        }
    }

    @Test
    void apiServerOutageKeepsTheLastKnownRoutes() throws Exception {
        try (RouterFixture f = new RouterFixture()) {
            Upstream web = f.upstream("web");
            UUID id = UUID.randomUUID();
            f.api.putApp(ApiStub.app(id, "steady", List.of("steady.localhost"), "up", false, web.port()));
            f.api.emit("routes.changed", id);
            Await.until("steady routed", () -> {
                try {
                    return f.get("steady.localhost", "/").statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            f.api.close(); // the api-server goes away: stream drops, routes API refuses connections
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = f.get("steady.localhost", "/");
                assertEquals(200, r.statusCode());
                assertEquals("hello from web", r.body());
                Thread.sleep(100);
            }
        }
    }
}
