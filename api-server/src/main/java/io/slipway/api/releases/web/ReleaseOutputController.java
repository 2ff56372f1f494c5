package io.slipway.api.releases.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.limits.StreamCaps;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Identities;
import io.slipway.api.web.PublicPaths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * A release's {@code output_stream_url}: {@code GET /release-output/<release id>/<token>}, no Authorization
 * (the token is the credential; {@link PublicPaths}), {@code text/plain; charset=utf-8}: the release phase's
 * output so far, then live until it has ended. The token works while the release phase runs and for
 * {@code slipway.builds.output-token-ttl} after it ended; then, like a wrong token or a release without a
 * release phase, the URL answers 404.
 */
@RestController
public class ReleaseOutputController {
    public static final String PATH_PREFIX = "/release-output/";
    private final ReleaseRepository releases;
    private final ReleaseOutputStreams streams;
    private final StreamCaps caps;
    private final Duration ttl;

    public ReleaseOutputController(ReleaseRepository releases, ReleaseOutputStreams streams, StreamCaps caps,
                                   ApiServerConfig config) {
        this.releases = releases;
        this.streams = streams;
        this.caps = caps;
        this.ttl = config.builds().outputTokenTtl();
    }

    /** The {@code output_stream_url} of a release; null when it has no release phase. */
    @Component
    public static class Urls {
        private final ApiServerConfig config;

        public Urls(ApiServerConfig config) {
            this.config = config;
        }

        public String of(Release r) {
            return r.outputToken() == null ? null : config.publicOrigin() + PATH_PREFIX + r.id() + "/" + r.outputToken();
        }
    }

    @GetMapping(PATH_PREFIX + "{release}/{token}")
    public ResponseEntity<ResponseBodyEmitter> follow(@PathVariable String release, @PathVariable String token) {
        UUID id = Identities.uuidOrNull(release);
        Release r = id == null ? null : releases.findById(id).orElse(null);
        // a wrong or expired token answers exactly like a missing release
        if (r == null || r.outputToken() == null
                || !MessageDigest.isEqual(r.outputToken().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))
                || (!r.pending() && Instant.now().isAfter(r.updatedAt().plus(ttl)))) {
            throw ApiErrors.notFound("release", release);
        }
        // counted with build output streams: both are what a deploy's watcher holds open
        Runnable done = caps.acquire(StreamCaps.Kind.BUILD_OUTPUT, r.appId());
        ResponseBodyEmitter emitter = streams.follow(r.id(), done);
        if (emitter == null) {
            done.run();
            throw ApiErrors.unavailable("Too many release output streams are open on this server; try again shortly.");
        }
        return ResponseEntity.ok()
                .contentType(io.slipway.api.web.PolledTextStreams.TEXT_UTF8)
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no")
                .body(emitter);
    }
}
