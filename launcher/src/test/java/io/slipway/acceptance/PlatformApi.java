package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.http.CaTrust;
import io.slipway.launcher.Platform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Platform API of a running embedded platform, called as a client would: HTTPS trusting only its CA. */
final class PlatformApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Platform platform;
    private final HttpClient https;

    PlatformApi(Platform platform) {
        this.platform = platform;
        this.https = HttpClient.newBuilder().sslContext(CaTrust.sslContext(platform.tls().caCert()))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpClient https() {
        return https;
    }

    /** A call that must succeed (2xx); answers the JSON body. */
    JsonNode call(String apiKey, String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(platform.config().publicUrl() + path))
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/vnd.heroku+json; version=3")
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> r = https.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + " -> " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    String createApp(String apiKey, String prefix) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        call(apiKey, "POST", "/apps", Map.of("name", name));
        return name;
    }

    JsonNode newestRelease(String apiKey, String app) throws Exception {
        JsonNode newest = null;
        for (JsonNode r : call(apiKey, "GET", "/apps/" + app + "/releases", null)) {
            if (newest == null || r.path("version").asInt() > newest.path("version").asInt()) newest = r;
        }
        assertTrue(newest != null, "no releases for " + app);
        return newest;
    }

    /** The current release {@code version}'s slug, read as a client would: the release, then its slug. */
    JsonNode slug(String apiKey, String app, int version) throws Exception {
        JsonNode release = call(apiKey, "GET", "/apps/" + app + "/releases/" + version, null);
        assertTrue(release.path("current").asBoolean(), release.toString());
        String slugId = release.path("slug").path("id").asText();
        assertFalse(slugId.isEmpty(), release.toString());
        return call(apiKey, "GET", "/apps/" + app + "/slugs/" + slugId, null);
    }

    Map<String, String> processTypes(String apiKey, String app, int version) throws Exception {
        Map<String, String> types = new LinkedHashMap<>();
        slug(apiKey, app, version).path("process_types").properties()
                .forEach(e -> types.put(e.getKey(), e.getValue().asText()));
        return types;
    }
}
