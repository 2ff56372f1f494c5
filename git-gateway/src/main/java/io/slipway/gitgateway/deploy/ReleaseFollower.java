package io.slipway.gitgateway.deploy;

import io.slipway.gitgateway.api.ApiClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The release phase of a pushed build, as Heroku shows it in {@code git push}: when the build's release has one
 * (its Procfile has {@code release:}, so the release has an {@code output_stream_url}), prints
 * {@code Running release command...}, relays that stream until it ends, then waits for the release's final status
 * ({@code Waiting for release.... done.} or {@code failed.}). A short release phase may have ended before the
 * gateway first reads the release: its stream replays the output, so the push shows it all the same. The
 * api-server bounds the release phase ({@code slipway.release-phase.timeout}) and fails it when it runs too long;
 * {@link #MAX_WAIT} only keeps a gateway from waiting forever on an api-server that never answers.
 */
final class ReleaseFollower {
    static final Duration MAX_WAIT = Duration.ofHours(2);
    private final ApiClient api;

    ReleaseFollower(ApiClient api) {
        this.api = api;
    }

    /** The release's final status ({@code succeeded}, {@code failed}, or {@code pending} when the wait gave up). */
    String follow(String token, String appId, Map<String, Object> release, Consumer<String> output)
            throws IOException, InterruptedException {
        String status = (String) release.get("status");
        Object streamUrl = release.get("output_stream_url");
        if (!"pending".equals(status) && !(streamUrl instanceof String)) return status;
        String id = (String) release.get("id");
        output.accept("");
        output.accept("Verifying deploy... done.");
        output.accept("Running release command...");
        output.accept("");
        if (streamUrl instanceof String url) stream(URI.create(url), token, output);
        Instant deadline = Instant.now().plus(MAX_WAIT);
        int polls = 0;
        Object current = release.get("current");
        while ("pending".equals(status) && Instant.now().isBefore(deadline)) {
            // the stream ends when the release phase has; this normally finds the final status at once
            if (polls > 0) Thread.sleep(Math.min(PlatformBuildClient.MAX_POLL.toMillis(), PlatformBuildClient.POLL.toMillis() * polls));
            polls++;
            ApiClient.Reply r = api.asUser(token, "GET", "/apps/" + appId + "/releases/" + id, null);
            if (r.ok()) {
                status = (String) r.json().get("status");
                current = r.json().get("current");
            }
        }
        output.accept("Waiting for release.... " + ("succeeded".equals(status) ? "done." : "failed."));
        if ("succeeded".equals(status) && Boolean.FALSE.equals(current)) {
            // a config change went live on the old code while this release phase ran (docs/security.md)
            output.accept(" !     v" + release.get("version") + " passed its release phase, but a newer release went "
                    + "live meanwhile; push again to run this code.");
        }
        return status;
    }

    private void stream(URI url, String token, Consumer<String> output) throws IOException {
        HttpResponse<InputStream> r = api.openStream(url, token);
        try (InputStream body = r.body()) {
            if (r.statusCode() != 200) return; // the status alone decides
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) output.accept(line);
        }
    }
}
