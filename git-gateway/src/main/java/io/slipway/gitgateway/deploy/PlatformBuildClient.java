package io.slipway.gitgateway.deploy;

import io.slipway.gitgateway.api.ApiClient;
import io.slipway.shared.gitaccess.Access;
import io.slipway.shared.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A build through the public Platform API, as the pushing user (with the push token):
 * {@code POST /sources} for an upload slot, {@code PUT} of the source archive to its {@code put_url},
 * {@code POST /apps/{app}/builds} with {@code source_blob.url} = its {@code get_url}, then the build's
 * {@code output_stream_url} read line by line until it closes, {@code GET /apps/{app}/builds/{id}} until the
 * status is no longer {@code pending}, and {@code GET /apps/{app}/releases/{id}} for the version it released;
 * a release still {@code pending} runs its release phase, which {@link ReleaseFollower} shows and waits for.
 */
public final class PlatformBuildClient implements BuildClient {
    static final Duration POLL = Duration.ofSeconds(1);
    static final Duration MAX_POLL = Duration.ofSeconds(5);
    static final Duration STREAM_WAIT = Duration.ofMinutes(2);
    static final Duration MAX_BUILD = Duration.ofHours(1);
    private final ApiClient api;
    private final ReleaseFollower releases;

    public PlatformBuildClient(ApiClient api) {
        this.api = api;
        this.releases = new ReleaseFollower(api);
    }

    @Override
    public Result build(Request request, Consumer<String> output) throws IOException, InterruptedException {
        Access access = request.access();
        String token = access.pushToken();
        ApiClient.Reply source = api.asUser(token, "POST", "/sources", null);
        if (!source.ok()) return failed(null, "Could not upload the source: " + source.message());
        Map<String, Object> blob = Json.object(source.json().get("source_blob"));
        String putUrl = (String) blob.get("put_url");
        String getUrl = (String) blob.get("get_url");
        if (putUrl == null || getUrl == null) return failed(null, "Could not upload the source: no upload URL.");
        HttpResponse<String> put = api.http().send(HttpRequest.newBuilder(URI.create(putUrl))
                .timeout(Duration.ofMinutes(10))
                .PUT(HttpRequest.BodyPublishers.ofFile(request.sourceArchive())).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() / 100 != 2) return failed(null, "Could not upload the source (storage answered " + put.statusCode() + ").");

        Map<String, Object> sourceBlob = new LinkedHashMap<>();
        sourceBlob.put("url", getUrl);
        sourceBlob.put("version", request.commit());
        ApiClient.Reply created = api.asUser(token, "POST", "/apps/" + access.appId() + "/builds",
                Map.of("source_blob", sourceBlob));
        if (!created.ok()) return failed(null, "Could not start the build: " + created.message());
        String buildId = created.string("id");
        if (buildId == null) return failed(null, "Could not start the build: the API returned no build id.");
        String stream = created.string("output_stream_url");
        if (stream != null) streamOutput(URI.create(stream), token, () -> pending(access, token, buildId), output);

        // The stream closes when the build ends, so this normally finds the final status at once. Polls back off:
        // they count against the user's rate limit like any other call with the push token.
        Map<String, Object> build = created.json();
        Instant deadline = Instant.now().plus(MAX_BUILD);
        int polls = 0;
        while ("pending".equals(build.get("status"))) {
            if (Instant.now().isAfter(deadline)) {
                return failed(buildId, "The build did not finish within " + MAX_BUILD.toMinutes() + " minutes.");
            }
            if (polls > 0) Thread.sleep(Math.min(MAX_POLL.toMillis(), POLL.toMillis() * polls));
            polls++;
            ApiClient.Reply r = api.asUser(token, "GET", "/apps/" + access.appId() + "/builds/" + buildId, null);
            if (r.ok()) build = r.json();
        }
        if (!"succeeded".equals(build.get("status"))) return new Result(buildId, Status.FAILED, null, null);
        Object releaseId = Json.object(build.get("release")).get("id");
        Integer version = null;
        if (releaseId instanceof String id) {
            ApiClient.Reply release = api.asUser(token, "GET", "/apps/" + access.appId() + "/releases/" + id, null);
            if (release.ok() && release.json().get("version") instanceof Number n) version = n.intValue();
            String status = release.ok() ? releases.follow(token, access.appId(), release.json(), output) : null;
            if ("failed".equals(status) || "pending".equals(status)) { // pending: the wait gave up
                return new Result(buildId, Status.RELEASE_FAILED, version, "Release command failed: v" + version
                        + " was not released, and the previous release keeps running. "
                        + "See its output with heroku releases:output.");
            }
        }
        return new Result(buildId, Status.SUCCEEDED, version, null);
    }

    /**
     * Follows the output stream until the build closes it. A stream that is not there yet (the build is still
     * queued) is retried while the build is pending, for up to {@link #STREAM_WAIT}; after that the build
     * status alone decides.
     */
    private void streamOutput(URI url, String token, StillPending stillPending, Consumer<String> output)
            throws IOException, InterruptedException {
        Instant until = Instant.now().plus(STREAM_WAIT);
        for (int attempt = 0; Instant.now().isBefore(until); attempt++) {
            HttpResponse<InputStream> r = api.openStream(url, token);
            try (InputStream body = r.body()) {
                if (r.statusCode() == 200) {
                    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                    String line;
                    while ((line = reader.readLine()) != null) output.accept(line);
                    return;
                }
                if (r.statusCode() != 404 && r.statusCode() / 100 != 5) return;
            }
            if (attempt % 5 == 4 && !stillPending.check()) return;
            Thread.sleep(500);
        }
    }

    @FunctionalInterface
    private interface StillPending {
        boolean check() throws IOException;
    }

    private boolean pending(Access access, String token, String buildId) throws IOException {
        ApiClient.Reply r = api.asUser(token, "GET", "/apps/" + access.appId() + "/builds/" + buildId, null);
        return !r.ok() || "pending".equals(r.json().get("status"));
    }

    private static Result failed(String buildId, String message) {
        return new Result(buildId, Status.FAILED, null, message);
    }
}
