package io.slipway.shared.builds;

import io.slipway.shared.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The build-worker's side of the internal build contract ({@code /internal/builds/**} on the api-server's
 * internal listener): claim a queued build, keep its lease with heartbeats, append output, post the result. Every
 * call carries the worker's own {@code build-worker} token; bodies are snake_case JSON. Thread-safe.
 */
public final class InternalBuildsClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI apiUrl;
    private final String token;
    private final HttpClient http;

    public InternalBuildsClient(URI apiUrl, String token, HttpClient http) {
        String base = apiUrl.toString();
        this.apiUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.token = token;
        this.http = http;
    }

    /** The HTTP client this one uses; workers fetch presigned URLs with it so they share its TLS trust. */
    public HttpClient http() {
        return http;
    }

    /** {@code POST /internal/builds/claim}: a build to work on, or empty when nothing is queued. */
    public Optional<ClaimedBuild> claim(String workerId) throws IOException {
        HttpResponse<String> response = send("builds/claim", "application/json",
                Json.write(Map.of("worker_id", workerId)));
        if (response.statusCode() == 204) return Optional.empty();
        expect(response, 200, "claim");
        try {
            return Optional.of(claimed(Json.parseObject(response.body())));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException("malformed claim response from the api-server: " + e.getMessage(), e);
        }
    }

    /** {@code POST /internal/builds/{id}/heartbeat}: extends the lease; answers the lease length in seconds. */
    public int heartbeat(String buildId) throws IOException {
        HttpResponse<String> response = send("builds/" + buildId + "/heartbeat", "application/json", "{}");
        if (response.statusCode() == 409) throw new LeaseLostException(buildId);
        expect(response, 200, "heartbeat");
        try {
            Object lease = Json.parseObject(response.body()).get("lease_seconds");
            return lease instanceof Number n ? n.intValue() : 60;
        } catch (IllegalArgumentException e) {
            return 60; // the heartbeat itself succeeded; the body only tunes the next interval
        }
    }

    /** {@code POST /internal/builds/{id}/output}: appends a chunk (whole lines) to the build's output. */
    public void output(String buildId, String chunk) throws IOException {
        HttpResponse<String> response = send("builds/" + buildId + "/output", "text/plain; charset=utf-8", chunk);
        if (response.statusCode() == 409) throw new LeaseLostException(buildId);
        if (response.statusCode() != 204 && response.statusCode() != 200) expect(response, 204, "output");
    }

    /** Reports success; the api-server creates the slug and release v(N+1) and answers which. */
    public ReleaseRef succeeded(String buildId, BuiltSlug slug) throws IOException {
        Map<String, Object> slugJson = new LinkedHashMap<>();
        slugJson.put("checksum", slug.checksum());
        slugJson.put("size", slug.size());
        slugJson.put("process_types", new LinkedHashMap<>(slug.processTypes()));
        slugJson.put("buildpack_provided_description", slug.buildpackProvidedDescription());
        slugJson.put("commit", slug.commit());
        slugJson.put("commit_description", slug.commitDescription());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "succeeded");
        body.put("slug", slugJson);
        HttpResponse<String> response = send("builds/" + buildId + "/result", "application/json", Json.write(body));
        if (response.statusCode() == 409) throw new LeaseLostException(buildId);
        expect(response, 200, "result");
        try {
            Map<String, Object> release = asMap(Json.parseObject(response.body()).get("release"));
            return new ReleaseRef(String.valueOf(release.get("id")), ((Number) release.get("version")).intValue());
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException("malformed result response from the api-server: " + e.getMessage(), e);
        }
    }

    /** Reports failure with a one-line message for the user; no release is created. */
    public void failed(String buildId, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "failed");
        body.put("message", message);
        HttpResponse<String> response = send("builds/" + buildId + "/result", "application/json", Json.write(body));
        if (response.statusCode() == 409) throw new LeaseLostException(buildId);
        expect(response, 200, "result");
    }

    private HttpResponse<String> send(String path, String contentType, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(apiUrl.resolve("internal/" + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling the api-server");
        }
    }

    private static void expect(HttpResponse<String> response, int status, String call) throws InternalApiException {
        if (response.statusCode() == status) return;
        String message = response.body();
        try {
            Object m = Json.parseObject(response.body()).get("message");
            if (m instanceof String s) message = s;
        } catch (IllegalArgumentException notJson) {
            // keep the raw body, cut below
        }
        if (message != null && message.length() > 300) message = message.substring(0, 300) + "...";
        throw new InternalApiException(response.statusCode(),
                "api-server answered " + response.statusCode() + " to " + call + ": " + message);
    }

    private static ClaimedBuild claimed(Map<String, Object> json) {
        List<String> buildpacks = new ArrayList<>();
        Object bps = json.get("buildpacks");
        if (bps instanceof List<?> list) {
            for (Object bp : list) buildpacks.add(String.valueOf(bp));
        }
        Map<String, String> configVars = new LinkedHashMap<>();
        Object vars = json.get("config_vars");
        if (vars instanceof Map<?, ?> map) {
            map.forEach((k, v) -> { if (v != null) configVars.put(String.valueOf(k), String.valueOf(v)); });
        }
        return new ClaimedBuild(
                required(json, "build_id"),
                required(json, "app_id"),
                required(json, "app_name"),
                optional(json, "stack", "heroku-24"),
                required(json, "source_url"),
                optional(json, "source_checksum", null),
                buildpacks,
                configVars,
                optional(json, "cache_get_url", null),
                optional(json, "cache_put_url", null),
                required(json, "slug_id"),
                required(json, "slug_put_url"),
                (int) number(json, "lease_seconds", 60),
                (int) number(json, "timeout_seconds", 0),
                number(json, "max_slug_bytes", 0),
                Boolean.TRUE.equals(json.get("source_from_platform")));
    }

    private static String required(Map<String, Object> json, String key) {
        if (!(json.get(key) instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return s;
    }

    private static String optional(Map<String, Object> json, String key, String fallback) {
        return json.get(key) instanceof String s ? s : fallback;
    }

    private static long number(Map<String, Object> json, String key, long fallback) {
        return json.get(key) instanceof Number n ? n.longValue() : fallback;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map)) throw new IllegalArgumentException("expected an object");
        return (Map<String, Object>) value;
    }
}
