package io.slipway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.router.config.RouterConfig;
import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Upstream;
import io.slipway.shared.net.LocalPorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a router does when a dyno host dies and when the router itself is restarted: a real router, real
 * upstream servers, a stub of the routes API.
 */
class FailoverTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private HttpResponse<String> get(Router router, String host) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + "/"))
                .header("Host", host).timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RouterConfig config(ApiStub api) {
        return RouterConfig.of(api.url(), ApiStub.TOKEN)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(55)).withThreads(2);
    }

    @Test
    void aDynoWhoseHostDiedIsSkippedAtOnceWhileItsAppHasOthers() throws Exception {
        int deadPort = LocalPorts.freePort(); // closed: a host whose processes were killed refuses connections
        try (ApiStub api = new ApiStub(); Upstream live = new Upstream("live")) {
            UUID id = UUID.randomUUID();
            // the dead dyno first: round robin would send it every other request
            api.putApp(ApiStub.app(id, "steady", List.of("steady.localhost"), "up", false, deadPort, live.port()));
            try (Router router = new Router(config(api)).start(Duration.ofSeconds(30))) {
                HttpResponse<String> first = get(router, "steady.localhost");
                assertEquals(200, first.statusCode(), "the refused connect was retried on the live dyno");
                // the dead port answers again (a listener that counts): the router must not be trying it
                AtomicInteger tried = new AtomicInteger();
                try (ServerSocket back = new ServerSocket(deadPort, 50, InetAddress.getLoopbackAddress())) {
                    Thread counter = new Thread(() -> {
                        while (!back.isClosed()) {
                            try (Socket s = back.accept()) {
                                tried.incrementAndGet();
                            } catch (Exception e) {
                                return;
                            }
                        }
                    });
                    counter.setDaemon(true);
                    counter.start();
                    for (int i = 0; i < 20; i++) {
                        HttpResponse<String> r = get(router, "steady.localhost");
                        assertEquals(200, r.statusCode());
                        assertEquals("hello from live", r.body());
                    }
                }
                assertEquals(0, tried.get(), "no request went to the dyno that had just refused a connection");
            }
        }
    }

    @Test
    void aRestartedRouterServesItsRoutesFromItsFirstRequest() throws Exception {
        try (ApiStub api = new ApiStub(); Upstream web = new Upstream("web")) {
            UUID id = UUID.randomUUID();
            api.putApp(ApiStub.app(id, "known", List.of("known.localhost"), "up", false, web.port()));
            Router first = new Router(config(api)).start(Duration.ofSeconds(30));
            assertEquals(200, get(first, "known.localhost").statusCode());
            first.close(); // killed; a new one starts
            try (Router restarted = new Router(config(api)).start(Duration.ofSeconds(30))) {
                assertTrue(restarted.routesLoaded(), "routes are loaded before the router accepts");
                HttpResponse<String> r = get(restarted, "known.localhost");
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("hello from web", r.body());
            }
        }
    }

    @Test
    void aRouterStartingWhileTheApiServerIsAwayListensAfterItsWaitAndServesOnceRoutesArrive() throws Exception {
        try (ApiStub api = new ApiStub(); Upstream web = new Upstream("web")) {
            api.routesAvailable(false);
            UUID id = UUID.randomUUID();
            api.putApp(ApiStub.app(id, "later", List.of("later.localhost"), "up", false, web.port()));
            try (Router router = new Router(config(api)).start(Duration.ofMillis(300))) {
                assertEquals(503, get(router, "later.localhost").statusCode(), "listening, not loaded yet");
                api.routesAvailable(true);
                io.slipway.router.support.Await.until("routes loaded", router::routesLoaded);
                assertEquals(200, get(router, "later.localhost").statusCode());
            }
        }
    }
}
