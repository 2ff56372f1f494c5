package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.api.accounts.CreateUser;
import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's slug through the Slugs API, on the real stack of {@code slipway up} (runc dynos): {@code app} is a
 * chain of symlinks that each look harmless but resolve to the host's {@code /}. Released, the dyno must never
 * run with a host path as {@code /app}: it crashes, and the file its command would write on the host through
 * {@code /app} never appears.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileSlugAcceptanceTest {
    private Platform platform;
    private PlatformApi api;
    private CreateUser.Created mallory;

    @BeforeAll
    void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "dynos run in runc containers, which need root");
        Path dataDir = Files.createTempDirectory("slipway-hostile-slug").resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        platform = Platform.start(new LauncherConfig(dataDir, port, "admin@example.com", 0));
        api = new PlatformApi(platform);
        mallory = platform.apiServer().getBean(CreateUser.class)
                .create("mallory-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com", null, false);
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void aSlugWhoseAppLinksToTheHostRootNeverRuns() throws Exception {
        Path work = Files.createTempDirectory("hostile-slug");
        Path canary = work.resolve("canary-" + UUID.randomUUID());
        byte[] tarball = chainSlug(work);
        String checksum = "SHA256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tarball));

        String app = api.createApp(mallory.apiKey(), "hostile");
        JsonNode slug = api.call(mallory.apiKey(), "POST", "/apps/" + app + "/slugs", Map.of(
                "process_types", Map.of("web", "touch /app" + canary + "; exec sleep 300"), "checksum", checksum));
        HttpResponse<String> put = api.https().send(HttpRequest.newBuilder(URI.create(slug.path("blob").path("url")
                .asText())).PUT(HttpRequest.BodyPublishers.ofByteArray(tarball)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(2, put.statusCode() / 100, put.body());
        api.call(mallory.apiKey(), "POST", "/apps/" + app + "/releases", Map.of("slug", slug.path("id").asText()));

        awaitState(app, "web.1", "crashed");
        assertFalse(Files.exists(canary, LinkOption.NOFOLLOW_LINKS), "the dyno wrote on the host through /app");
    }

    /** {@code l0 -> .}, {@code l1 -> l0/..}, ..., {@code app -> l40}: inside as text, {@code /} on disk. */
    private static byte[] chainSlug(Path work) throws Exception {
        Path src = Files.createDirectories(work.resolve("src"));
        List<String> cmd = new ArrayList<>(List.of("tar", "-czf", work.resolve("slug.tgz").toString(), "-C",
                src.toString()));
        Files.createSymbolicLink(src.resolve("l0"), Path.of("."));
        cmd.add("l0");
        for (int i = 1; i <= 40; i++) {
            Files.createSymbolicLink(src.resolve("l" + i), Path.of("l" + (i - 1) + "/.."));
            cmd.add("l" + i);
        }
        Files.createSymbolicLink(src.resolve("app"), Path.of("l40"));
        cmd.add("app");
        Process tar = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes());
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) throw new AssertionError("tar: " + out);
        return Files.readAllBytes(work.resolve("slug.tgz"));
    }

    private void awaitState(String app, String dyno, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode dynos = api.call(mallory.apiKey(), "GET", "/apps/" + app + "/dynos", null);
            last = dynos.toString();
            for (JsonNode d : dynos) {
                if (dyno.equals(d.path("name").asText())) {
                    assertFalse("up".equals(d.path("state").asText()), "the dyno came up: " + last);
                    if (state.equals(d.path("state").asText())) return;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError(dyno + " of " + app + " never reached " + state + "; last: " + last);
    }
}
