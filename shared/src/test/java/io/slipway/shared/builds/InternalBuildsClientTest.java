package io.slipway.shared.builds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.shared.http.TrustedHttpClients;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a small stand-in for the api-server's side of the contract. */
class InternalBuildsClientTest {
    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile boolean queued = true;
    private InternalBuildsClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/builds/", this::handle);
        server.start();
        client = new InternalBuildsClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "secret-token", TrustedHttpClients.create(null));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                + ex.getRequestHeaders().getFirst("Content-Type") + " " + body);
        if (!"Bearer secret-token".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            reply(ex, 401, "{\"id\":\"unauthorized\",\"message\":\"Invalid credentials provided.\"}");
            return;
        }
        String path = ex.getRequestURI().getPath();
        if (path.endsWith("/claim")) {
            if (!queued) { reply(ex, 204, null); return; }
            reply(ex, 200, """
                    {"build_id":"b1","app_id":"a1","app_name":"demo","stack":"heroku-24",
                     "source_url":"http://x/src","source_checksum":null,
                     "buildpacks":["urn:buildpack:heroku/nodejs"],"config_vars":{"K":"V"},
                     "cache_get_url":"http://x/c","cache_put_url":"http://x/cp","slug_id":"s1",
                     "slug_put_url":"http://x/s","lease_seconds":30,"timeout_seconds":900,"max_slug_bytes":524288000}
                    """);
        } else if (path.endsWith("/b1/heartbeat")) {
            reply(ex, 200, "{\"lease_seconds\":45}");
        } else if (path.endsWith("/lost/heartbeat")) {
            reply(ex, 409, "{\"id\":\"conflict\",\"message\":\"lease lost\"}");
        } else if (path.endsWith("/output")) {
            reply(ex, 204, null);
        } else if (path.endsWith("/result")) {
            reply(ex, 200, body.contains("succeeded") ? "{\"release\":{\"id\":\"r1\",\"version\":5}}" : "{}");
        } else {
            reply(ex, 404, "{\"id\":\"not_found\",\"message\":\"nope\"}");
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body == null ? -1 : bytes.length);
        if (body != null) ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Test
    void claimsParsesAndReportsEmptyQueue() throws IOException {
        ClaimedBuild build = client.claim("worker-1").orElseThrow();
        assertEquals("b1", build.buildId());
        assertEquals("demo", build.appName());
        assertNull(build.sourceChecksum());
        assertEquals(List.of("urn:buildpack:heroku/nodejs"), build.buildpacks());
        assertEquals(Map.of("K", "V"), build.configVars());
        assertEquals(30, build.leaseSeconds());
        assertEquals(524288000L, build.maxSlugBytes());
        assertTrue(seen.get(0).startsWith("POST /internal/builds/claim application/json {\"worker_id\":\"worker-1\"}"));
        queued = false;
        assertTrue(client.claim("worker-1").isEmpty());
    }

    @Test
    void heartbeatsAndDetectsALostLease() throws IOException {
        assertEquals(45, client.heartbeat("b1"));
        assertThrows(LeaseLostException.class, () -> client.heartbeat("lost"));
    }

    @Test
    void postsOutputAndResults() throws IOException {
        client.output("b1", "-----> Building\n");
        assertTrue(seen.get(0).startsWith("POST /internal/builds/b1/output text/plain"));
        ReleaseRef release = client.succeeded("b1", new BuiltSlug("SHA256:ab", 10, Map.of("web", "npm start"),
                "Node.js", null, null));
        assertEquals(new ReleaseRef("r1", 5), release);
        Map<String, Object> posted = Json.parseObject(seen.get(1).substring(seen.get(1).indexOf('{')));
        assertEquals("succeeded", posted.get("status"));
        assertEquals(Map.of("web", "npm start"), ((Map<?, ?>) posted.get("slug")).get("process_types"));
        assertTrue(((Map<?, ?>) posted.get("slug")).containsKey("commit"));
        client.failed("b1", "No default language could be detected for this app.");
        assertTrue(seen.get(2).endsWith(
                "{\"status\":\"failed\",\"message\":\"No default language could be detected for this app.\"}"));
    }

    @Test
    void reportsTheApiServersErrorMessage() {
        InternalBuildsClient wrongToken = new InternalBuildsClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "nope",
                TrustedHttpClients.create(null));
        InternalApiException e = assertThrows(InternalApiException.class, () -> wrongToken.claim("w"));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("Invalid credentials provided."), e.getMessage());
    }
}
