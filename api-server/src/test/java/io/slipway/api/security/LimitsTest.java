package io.slipway.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.rendezvous.RendezvousServer;
import io.slipway.api.support.StorageApiTest;
import io.slipway.api.support.TestDeploys;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A hostile user tries to take more than their share: more apps, dynos, builds and one-off dynos than the
 * operator's quotas, more open streams, and connections to the {@code heroku run} rendezvous that never
 * authenticate. Small quotas here (their own Spring context) so each limit is reached quickly; each refusal is
 * a Heroku-style error, and other users are not affected.
 */
// its own limits make a Spring context of its own: closed after the class, so no second api-server (with its own
// scheduler contending for leadership) runs beside the shared one for the rest of the suite
@org.springframework.test.annotation.DirtiesContext
class LimitsTest extends StorageApiTest {
    private static final int PENDING = 4;

    @Autowired ApplicationContext context;
    @Autowired RendezvousServer rendezvous;

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("slipway.limits.apps-per-user", () -> "3");
        registry.add("slipway.limits.dynos-per-user", () -> "5");
        registry.add("slipway.limits.builds-per-user", () -> "2");
        registry.add("slipway.limits.one-off-dynos-per-user", () -> "2");
        registry.add("slipway.limits.log-streams-per-user", () -> "2");
        registry.add("slipway.limits.build-streams-per-user", () -> "2");
        registry.add("slipway.rendezvous.max-pending", () -> String.valueOf(PENDING));
        registry.add("slipway.rendezvous.auth-timeout", () -> "60s");
    }

    private String app(User owner) {
        return createApp(owner, "limits");
    }

    @Test
    void appsPastTheQuotaAreRefused() {
        User mallory = newUser();
        for (int i = 0; i < 3; i++) app(mallory);
        String message = call("POST", "/apps").as(mallory).json("{}").send().expectError(422, "invalid_params")
                .json().path("message").asText();
        assertThat(message).contains("limit of 3 apps");
        app(newUser()); // someone else still can
    }

    @Test
    void dynosPastTheQuotaAreRefusedAcrossApps() {
        User mallory = newUser();
        String first = app(mallory);
        String second = app(mallory);
        TestDeploys.deploy(context, first, Map.of("web", "x", "worker", "y"));
        TestDeploys.deploy(context, second, Map.of("web", "x"));
        // web.1 + worker.0 + web.1 now; 3 more fit
        call("PATCH", "/apps/" + first + "/formation").as(mallory)
                .json("{\"updates\":[{\"type\":\"worker\",\"quantity\":3}]}").send().expect(200);
        String message = call("PATCH", "/apps/" + second + "/formation/web").as(mallory).json("{\"quantity\":2}").send()
                .expectError(422, "invalid_params").json().path("message").asText();
        assertThat(message).contains("limit is 5 dynos");
        call("PATCH", "/apps/" + first + "/formation").as(mallory)
                .json("{\"updates\":[{\"type\":\"web\",\"quantity\":100}]}").send().expectError(422, "invalid_params");
        assertThat(call("GET", "/apps/" + second + "/formation/web").as(mallory).send().expect(200)
                .json().path("quantity").asInt()).isEqualTo(1);
        // scaling down is always allowed
        call("PATCH", "/apps/" + first + "/formation/worker").as(mallory).json("{\"quantity\":0}").send().expect(200);
    }

    @Test
    void concurrentBuildsPastTheQuotaAreRefused() {
        User mallory = newUser();
        String app = app(mallory);
        String source = call("POST", "/sources").as(mallory).send().expect(201).json()
                .path("source_blob").path("get_url").asText();
        for (int i = 0; i < 2; i++) {
            call("POST", "/apps/" + app + "/builds").as(mallory).json("{\"source_blob\":{\"url\":\"" + source + "\"}}")
                    .send().expect(201);
        }
        String message = call("POST", "/apps/" + app + "/builds").as(mallory)
                .json("{\"source_blob\":{\"url\":\"" + source + "\"}}").send().expectError(429, "rate_limit")
                .json().path("message").asText();
        assertThat(message).contains("2 builds waiting or running");
    }

    @Test
    void oneOffDynosPastTheQuotaAreRefused() {
        User mallory = newUser();
        String app = app(mallory);
        TestDeploys.deploy(context, app, Map.of("web", "x"));
        for (int i = 0; i < 2; i++) {
            call("POST", "/apps/" + app + "/dynos").as(mallory).json("{\"command\":\"bash\",\"attach\":false}").send().expect(201);
        }
        String message = call("POST", "/apps/" + app + "/dynos").as(mallory)
                .json("{\"command\":\"bash\",\"attach\":false}").send().expectError(429, "rate_limit").json().path("message").asText();
        assertThat(message).contains("more than 2 one-off dynos");
    }

    @Test
    void logStreamsPastTheCapAreRefusedUntilOneCloses() throws Exception {
        User mallory = newUser();
        String app = app(mallory);
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                HttpResponse<InputStream> r = openStream(logSession(mallory, app));
                assertThat(r.statusCode()).isEqualTo(200);
                open.add(r);
            }
            HttpResponse<InputStream> refused = openStream(logSession(mallory, app));
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(new String(refused.body().readAllBytes())).contains("\"rate_limit\"").contains("2 log streams");
            open.remove(0).body().close();
            TestDeploys.await("a slot freed by the closed stream", () -> {
                try {
                    HttpResponse<InputStream> r = openStream(logSession(mallory, app));
                    if (r.statusCode() == 200) {
                        open.add(r);
                        return true;
                    }
                    r.body().close();
                    return false;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            for (HttpResponse<InputStream> r : open) r.body().close();
        }
    }

    @Test
    void buildOutputStreamsPastTheCapAreRefused() throws Exception {
        User mallory = newUser();
        String app = app(mallory);
        String source = call("POST", "/sources").as(mallory).send().expect(201).json()
                .path("source_blob").path("get_url").asText();
        String streamUrl = call("POST", "/apps/" + app + "/builds").as(mallory)
                .json("{\"source_blob\":{\"url\":\"" + source + "\"}}").send().expect(201).json()
                .path("output_stream_url").asText();
        String url = baseUrl() + URI.create(streamUrl).getRawPath();
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                HttpResponse<InputStream> r = openStream(url);
                assertThat(r.statusCode()).isEqualTo(200);
                open.add(r);
            }
            HttpResponse<InputStream> refused = openStream(url);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(new String(refused.body().readAllBytes())).contains("\"rate_limit\"").contains("2 build output streams");
        } finally {
            for (HttpResponse<InputStream> r : open) r.body().close();
        }
    }

    private String logSession(User user, String app) {
        String url = call("POST", "/apps/" + app + "/log-sessions").as(user).json("{\"tail\":true}").send().expect(201)
                .json().path("logplex_url").asText();
        return baseUrl() + URI.create(url).getRawPath();
    }

    private static HttpResponse<InputStream> openStream(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void rendezvousConnectionsPastThePendingCapAreClosedAtOnce() throws Exception {
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < PENDING; i++) silent.add(new Socket(InetAddress.getLoopbackAddress(), rendezvous.port()));
            TestDeploys.await("the silent connections to be pending", () -> rendezvous.pendingConnections() == PENDING);
            try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), rendezvous.port())) {
                extra.setSoTimeout((int) Duration.ofMinutes(1).toMillis());
                extra.getOutputStream().write("\u0016\u0003\u0001".getBytes()); // the start of a ClientHello
                assertThat(io.slipway.api.support.Sockets.readUntilClosed(extra.getInputStream())).isEqualTo(-1);
            }
            assertThat(rendezvous.pendingConnections()).as("the first ones were not pushed out").isEqualTo(PENDING);
        } finally {
            for (Socket s : silent) s.close();
        }
        TestDeploys.await("the pending count to drop", () -> rendezvous.pendingConnections() == 0);
    }
}
