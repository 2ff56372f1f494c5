package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.testing.ScratchDirs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * What a CI system does without git, against the real embedded platform: upload a source tarball through
 * {@code POST /sources}, create a build, follow its {@code output_stream_url}, get a release. The build runs in
 * the launcher's build-worker, in a runc container, so these tests need root and runc (as CI has).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildsAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private Platform platform;
    private PlatformApi api;
    private HttpClient https;

    @BeforeAll
    void start() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "builds run in runc containers, which need root");
        Path dataDir = scratch.create("slipway-builds-acceptance").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, LocalPorts.freePort(), "admin@example.com"));
        api = new PlatformApi(platform);
        https = api.https();
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void aSourceTarballBecomesARelease() throws Exception {
        String app = createApp();
        Path src = scratch.create("src");
        Files.writeString(src.resolve("Procfile"), "web: python3 -m http.server $PORT\nworker: sleep infinity\n");
        Files.writeString(src.resolve("hello.txt"), "hello\n");

        JsonNode build = build(app, SourceTarballs.of(src), "ci-1234");
        String output = readStream(build.path("output_stream_url").asText());
        assertTrue(output.contains("-----> Procfile app detected"), output);
        assertTrue(output.contains("Procfile declares types -> web, worker") || output.contains("Procfile declares types -> worker, web"), output);
        assertTrue(output.contains("Released v2"), output);

        JsonNode finished = api("GET", "/apps/" + app + "/builds/" + build.path("id").asText(), null);
        assertEquals("succeeded", finished.path("status").asText());
        JsonNode release = api("GET", "/apps/" + app + "/releases/2", null);
        assertTrue(release.path("current").asBoolean());
        assertTrue(release.path("slug").path("id").isString());
        JsonNode slug = api("GET", "/apps/" + app + "/slugs/" + release.path("slug").path("id").asText(), null);
        assertEquals("python3 -m http.server $PORT", slug.path("process_types").path("web").asText());
        assertTrue(slug.path("checksum").asText().startsWith("SHA256:"));
        JsonNode formation = api("GET", "/apps/" + app + "/formation", null);
        assertEquals(2, formation.size());
    }

    @Test
    void anUndetectableAppFailsAndLeavesTheReleaseAlone() throws Exception {
        String app = createApp();
        Path src = scratch.create("src");
        Files.writeString(src.resolve("notes.md"), "nothing to run here\n");
        JsonNode build = build(app, SourceTarballs.of(src), null);
        String output = readStream(build.path("output_stream_url").asText());
        assertTrue(output.contains("No default language could be detected for this app."), output);
        JsonNode finished = api("GET", "/apps/" + app + "/builds/" + build.path("id").asText(), null);
        assertEquals("failed", finished.path("status").asText());
        JsonNode releases = api("GET", "/apps/" + app + "/releases", null);
        assertEquals(1, releases.size(), "no release was made: v1 stays current");
    }

    private String createApp() throws Exception {
        return api.createApp(platform.adminApiKey(), "ci");
    }

    private JsonNode build(String app, byte[] tarball, String version) throws Exception {
        JsonNode source = api("POST", "/sources", null).path("source_blob");
        HttpResponse<String> put = https.send(HttpRequest.newBuilder(URI.create(source.path("put_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(tarball)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        Map<String, Object> blob = version == null ? Map.of("url", source.path("get_url").asText())
                : Map.of("url", source.path("get_url").asText(), "version", version);
        return api("POST", "/apps/" + app + "/builds", Map.of("source_blob", blob));
    }

    /** Reads the build's output until the server closes it (the build ended). */
    private String readStream(String url) throws Exception {
        HttpResponse<InputStream> r = https.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = r.body()) {
            in.transferTo(out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private JsonNode api(String method, String path, Object body) throws Exception {
        return api.call(platform.adminApiKey(), method, path, body);
    }
}
