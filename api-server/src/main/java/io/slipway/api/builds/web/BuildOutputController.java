package io.slipway.api.builds.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.limits.StreamCaps;
import io.slipway.api.builds.Build;
import io.slipway.api.builds.BuildRepository;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Identities;
import io.slipway.api.web.PublicPaths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * A build's {@code output_stream_url}: {@code GET /build-output/<build id>/<token>}, no Authorization (the
 * token is the credential; {@link PublicPaths}). {@code text/plain; charset=utf-8}: everything stored so far,
 * then new output as it arrives, and the response ends when the build has finished. Works with
 * {@code curl -N} and any client reading the body incrementally. The token expires: it works while the build
 * runs and for {@code slipway.builds.output-token-ttl} after it finished (never longer than
 * {@code output-token-max-lifetime} after creation); then the URL answers 404 like a wrong token.
 */
@RestController
public class BuildOutputController {
    public static final String PATH_PREFIX = "/build-output/";
    private final BuildRepository builds;
    private final BuildOutputStreams streams;
    private final ApiServerConfig.Builds config;
    private final StreamCaps caps;

    public BuildOutputController(BuildRepository builds, BuildOutputStreams streams, ApiServerConfig config,
                                 StreamCaps caps) {
        this.caps = caps;
        this.builds = builds;
        this.streams = streams;
        this.config = config.builds();
    }

    @GetMapping(PATH_PREFIX + "{build}/{token}")
    public ResponseEntity<ResponseBodyEmitter> follow(@PathVariable String build, @PathVariable String token) {
        UUID id = Identities.uuidOrNull(build);
        Build b = id == null ? null : builds.findById(id).orElse(null);
        // a wrong or expired token answers exactly like a missing build
        if (b == null || !MessageDigest.isEqual(b.outputToken().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))
                || !b.outputReadable(Instant.now(), config.outputTokenTtl(), config.outputTokenMaxLifetime())) {
            throw ApiErrors.notFound("build", build);
        }
        Runnable release = caps.acquire(StreamCaps.Kind.BUILD_OUTPUT, b.appId());
        ResponseBodyEmitter emitter = streams.follow(b.id(), release);
        if (emitter == null) {
            release.run();
            throw ApiErrors.unavailable("Too many build output streams are open on this server; try again shortly.");
        }
        return ResponseEntity.ok()
                .contentType(io.slipway.api.web.PolledTextStreams.TEXT_UTF8)
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no")
                .body(emitter);
    }
}
