package io.slipway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.router.config.RouterConfig;
import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Await;
import io.slipway.router.support.RawHttp;
import io.slipway.router.support.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 6, with a real router, a real dyno and the routes API stub: a request for an app whose web
 * dynos are all still booting waits for one to come up (Heroku queues it up to 75 s, then H20) instead of
 * failing at once.
 */
class BootWaitTest {

    private static Router start(ApiStub api, Duration bootTimeout) throws InterruptedException {
        RouterConfig config = RouterConfig.of(api.url(), ApiStub.TOKEN)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(55))
                .withBootTimeout(bootTimeout).withThreads(2);
        return new Router(config).start(Duration.ofSeconds(30)); // the booting app is in its first table
    }

    @Test
    void aRequestForABootingAppWaitsAndIsServedWhenADynoComesUp() throws Exception {
        try (ApiStub api = new ApiStub(); Upstream web = new Upstream("web")) {
            UUID id = UUID.randomUUID();
            api.putApp(ApiStub.app(id, "boot", List.of("boot.localhost"), "starting", false));
            try (Router router = start(api, RouterConfig.DEFAULT_BOOT_TIMEOUT);
                 RawHttp c = new RawHttp(router.port())) {
                c.send("GET /first HTTP/1.1\r\nHost: boot.localhost\r\n\r\n");
                // the dyno comes up after the request arrived: the api-server lists it, the router hears of it
                api.putApp(ApiStub.app(id, "boot", List.of("boot.localhost"), "up", false, web.port()));
                api.emit("dyno.state_changed", id);
                RawHttp.Response r = c.read();
                assertEquals(200, r.status(), r.body());
                assertEquals("hello from web", r.body());
                assertEquals("/first", web.seen().get(0).target());
            }
            Await.until("served line", () -> api.routerLogMessages().stream().anyMatch(m ->
                    m.startsWith("at=info method=GET path=\"/first\" host=boot.localhost ")
                            && m.contains(" dyno=web.1 ") && m.contains(" status=200 ")));
        }
    }

    @Test
    void aBootThatOutlastsTheTimeoutEndsInH20() throws Exception {
        try (ApiStub api = new ApiStub()) {
            UUID id = UUID.randomUUID();
            api.putApp(ApiStub.app(id, "slowboot", List.of("slowboot.localhost"), "starting", false));
            try (Router router = start(api, Duration.ofMillis(500));
                 RawHttp c = new RawHttp(router.port())) {
                c.send("POST /form HTTP/1.1\r\nHost: slowboot.localhost\r\nContent-Length: 5\r\n\r\nhello");
                RawHttp.Response r = c.read();
                assertEquals(503, r.status());
                assertTrue(r.body().contains("Application Error"), r.body());
                // the body was read and dropped: the connection serves the next request
                c.send("GET / HTTP/1.1\r\nHost: nothing.localhost\r\n\r\n");
                assertEquals(404, c.read().status());
            }
            Await.until("H20 line", () -> api.routerLogMessages().stream().anyMatch(m ->
                    m.startsWith("at=error code=H20 desc=\"App boot timeout\" method=POST path=\"/form\"")
                            && m.contains(" dyno= connect= service= status=503 bytes= ")));
        }
    }
}
