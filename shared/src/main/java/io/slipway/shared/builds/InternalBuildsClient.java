package io.slipway.shared.builds;

import io.slipway.shared.json.Json;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
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
    private static final Duration REQUEST_TIMEOUT = InternalTransport.DEFAULT_TIMEOUT;

    private final InternalTransport api;

    public InternalBuildsClient(InternalTransport api) {
        this.api = api;
    }

    public InternalBuildsClient(URI apiUrl, String token, HttpClient http) {
        this(new InternalTransport(apiUrl, token, http));
    }

    /** The HTTP client this one uses; workers fetch presigned URLs with it so they share its TLS trust. */
    public HttpClient http() {
        return api.http();
    }

    /** The transport underneath, for the worker's other internal clients (images). */
    public InternalTransport transport() {
        return api;
    }

    /** {@code POST /internal/builds/claim}: a build to work on, or empty when nothing is queued. */
    public Optional<ClaimedBuild> claim(String workerId) throws IOException {
        Reply response = post("builds/claim", "application/json", Json.write(Map.of("worker_id", workerId)));
        if (response.status() == 204) return Optional.empty();
        response.expect(200, "claim");
        try {
            return Optional.of(claimed(Json.parseObject(response.body())));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException("malformed claim response from the api-server: " + e.getMessage(), e);
        }
    }

    /** {@code POST /internal/builds/{id}/heartbeat}: extends the lease; answers the lease length in seconds. */
    public int heartbeat(String buildId) throws IOException {
        Reply response = post("builds/" + buildId + "/heartbeat", "application/json", "{}");
        if (response.status() == 409) throw new LeaseLostException(buildId);
        response.expect(200, "heartbeat");
        // a body that is not what we expect: the heartbeat itself succeeded; the body only tunes the next interval
        return response.json().get("lease_seconds") instanceof Number n ? n.intValue() : 60;
    }

    /** {@code POST /internal/builds/{id}/output}: appends a chunk (whole lines) to the build's output. */
    public void output(String buildId, String chunk) throws IOException {
        Reply response = post("builds/" + buildId + "/output", "text/plain; charset=utf-8", chunk);
        if (response.status() == 409) throw new LeaseLostException(buildId);
        if (response.status() != 204 && response.status() != 200) throw response.error("output");
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
        Reply response = post("builds/" + buildId + "/result", "application/json", Json.write(body));
        if (response.status() == 409) throw new LeaseLostException(buildId);
        response.expect(200, "result");
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
        Reply response = post("builds/" + buildId + "/result", "application/json", Json.write(body));
        if (response.status() == 409) throw new LeaseLostException(buildId);
        response.expect(200, "result");
    }

    private Reply post(String path, String contentType, String body) throws IOException {
        return api.send("POST", "/internal/" + path, contentType, body, REQUEST_TIMEOUT);
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
