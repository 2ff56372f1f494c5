package io.slipway.launcher;

import io.slipway.shared.http.CaTrust;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Platform API as a user, for the {@code slipway} commands that manage what the stock {@code heroku} CLI
 * has no command for (deploy keys). Found the way the heroku CLI finds it: {@code HEROKU_HOST} and
 * {@code HEROKU_API_KEY}, else the {@code ~/.netrc} entry {@code heroku login} wrote; without {@code HEROKU_HOST},
 * the platform {@code slipway up} runs on the data directory, trusting its CA.
 */
public final class PublicApiClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final URI base;
    private final String apiKey;
    private final HttpClient http;

    PublicApiClient(URI base, String apiKey, HttpClient http) {
        this.base = base;
        this.apiKey = apiKey;
        this.http = http;
    }

    /** @param env the process environment (a map, so tests can pass their own) */
    static PublicApiClient fromEnvironment(Map<String, String> env, Path dataDir) {
        String host = env.get("HEROKU_HOST");
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        URI base;
        if (host != null && !host.isBlank()) {
            base = URI.create(host.contains("://") ? host : "https://" + host);
            String ca = firstSet(env, "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS");
            if (ca != null) http.sslContext(CaTrust.sslContext(Path.of(ca)));
        } else {
            DataDir dir = DataDir.existing(dataDir);
            StateFile.State s = StateFile.live(dir.stateFile()).orElseThrow(() -> new IllegalStateException(
                    "Set HEROKU_HOST to the platform's API URL, or run this where `slipway up` runs (no platform runs on "
                            + dir.root() + ")."));
            base = URI.create(s.url());
            http.sslContext(CaTrust.sslContext(Path.of(s.caCert())));
        }
        String key = Optional.ofNullable(env.get("HEROKU_API_KEY")).filter(k -> !k.isBlank())
                .or(() -> Netrc.password(Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".netrc"),
                        base.getHost()))
                .orElseThrow(() -> new IllegalStateException("No API key: set HEROKU_API_KEY or run `heroku login`."));
        return new PublicApiClient(base, key, http.build());
    }

    private static String firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank() && Files.isRegularFile(Path.of(v))) return v;
        }
        return null;
    }

    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The answer's JSON; the server's Heroku-style message as an {@link IllegalStateException} otherwise. */
    JsonNode call(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/vnd.heroku+json; version=3")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) request.header("Content-Type", "application/json");
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("could not reach the platform at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String message = json.path("message").asString("");
            throw new IllegalStateException(message.isBlank() ? method + " " + path + ": HTTP " + response.statusCode()
                    : message);
        }
        return json;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JacksonException e) {
            return JSON.createObjectNode();
        }
    }
}
