package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The Heroku Button flow against the real embedded platform: a tarball with an app.json is uploaded through
 * {@code POST /sources}, {@code POST /app-setups} creates the app, and the launcher's build-worker builds it in a
 * runc container; app.json's {@code scripts.postdeploy} runs as a real one-off dyno of the first release (with its
 * config vars), and the setup ends {@code succeeded} with app.json's config vars, formation and the script's output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppSetupsAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private Platform platform;
    private PlatformApi api;

    @BeforeAll
    void start() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "builds run in runc containers, which need root");
        Path dataDir = scratch.create("slipway-app-setups-acceptance").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, LocalPorts.freePort(), "admin@example.com"));
        api = new PlatformApi(platform);
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void aTarballWithAppJsonBecomesAConfiguredApp() throws Exception {
        Path src = scratch.create("src");
        Files.writeString(src.resolve("Procfile"), "web: python3 -m http.server $PORT\nworker: sleep infinity\n");
        Files.writeString(src.resolve("app.json"), """
                {"env": {"GREETING": "hello", "SECRET_KEY_BASE": {"generator": "secret"}},
                 "formation": {"web": {"quantity": 0}},
                 "scripts": {"postdeploy": "echo seeded $GREETING"}}
                """);
        JsonNode source = api("POST", "/sources", null).path("source_blob");
        HttpResponse<String> put = api.https().send(HttpRequest.newBuilder(URI.create(source.path("put_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(SourceTarballs.of(src))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());

        String name = "setup-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode setup = api("POST", "/app-setups", Map.of("source_blob", Map.of("url", source.path("get_url").asText()),
                "app", Map.of("name", name)));
        assertEquals("pending", setup.path("status").asText());

        JsonNode done = awaitFinished(setup.path("id").asText());
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        assertEquals("succeeded", done.path("build").path("status").asText());
        assertEquals(0, done.path("postdeploy").path("exit_code").asInt(-2), done.toString());
        assertTrue(done.path("postdeploy").path("output").asText().contains("seeded hello"), done.toString());
        JsonNode config = api("GET", "/apps/" + name + "/config-vars", null);
        assertEquals("hello", config.path("GREETING").asText());
        assertTrue(config.path("SECRET_KEY_BASE").asText().matches("[0-9a-f]{64}"), config.toString());
        assertEquals(0, api("GET", "/apps/" + name + "/formation/web", null).path("quantity").asInt());
    }

    /** A postdeploy script exiting non-zero fails the setup with Heroku's message; the app stays. */
    @Test
    void aFailingPostdeployScriptFailsTheSetupButKeepsTheApp() throws Exception {
        Path src = scratch.create("src");
        Files.writeString(src.resolve("Procfile"), "web: python3 -m http.server $PORT\n");
        Files.writeString(src.resolve("app.json"), """
                {"formation": {"web": {"quantity": 0}},
                 "scripts": {"postdeploy": "echo cannot seed; exit 3"}}
                """);
        JsonNode source = api("POST", "/sources", null).path("source_blob");
        HttpResponse<String> put = api.https().send(HttpRequest.newBuilder(URI.create(source.path("put_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(SourceTarballs.of(src))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        String name = "setup-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode setup = api("POST", "/app-setups", Map.of("source_blob", Map.of("url", source.path("get_url").asText()),
                "app", Map.of("name", name)));

        JsonNode done = awaitFinished(setup.path("id").asText());
        assertEquals("failed", done.path("status").asText(), done.toString());
        assertEquals("postdeploy script failed", done.path("failure_message").asText());
        assertEquals(3, done.path("postdeploy").path("exit_code").asInt(), done.toString());
        assertTrue(done.path("postdeploy").path("output").asText().contains("cannot seed"), done.toString());
        assertEquals(name, api("GET", "/apps/" + name, null).path("name").asText());
    }

    /** Polls the setup as the Heroku Button page does, until it leaves {@code pending} (the build is bounded). */
    private JsonNode awaitFinished(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            JsonNode s = api("GET", "/app-setups/" + id, null);
            if (!"pending".equals(s.path("status").asText())) return s;
            if (System.nanoTime() > deadline) throw new AssertionError("app setup still pending: " + s);
            Thread.sleep(500);
        }
    }

    private JsonNode api(String method, String path, Object body) throws Exception {
        return api.call(platform.adminApiKey(), method, path, body);
    }
}
