package io.slipway.api.builds.web;

import io.slipway.api.storage.OwnStoreUrls;
import io.slipway.api.builds.AppendBuildOutput;
import io.slipway.api.builds.Build;
import io.slipway.api.builds.BuildpackList;
import io.slipway.api.builds.ClaimBuild;
import io.slipway.api.builds.CompleteBuild;
import io.slipway.api.builds.CompleteImageBuild;
import io.slipway.api.builds.HeartbeatBuild;
import io.slipway.api.builds.RequestImageBlobs;
import io.slipway.api.images.web.ImageWire;
import io.slipway.api.releases.Release;
import io.slipway.api.storage.Checksums;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.identity.Identities;
import io.slipway.api.web.InternalApi;
import io.slipway.api.web.JsonBody;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The build-worker's side of builds (internal listener, build-worker token; see docs/internal-api.md, which is
 * the contract): claim, heartbeat, output, image-blobs, result (a slug or an image). Beyond the contract, the heartbeat and result bodies may
 * carry the claim's {@code worker_id}; when they do, it must be the worker holding the lease (409 otherwise),
 * which also stops a worker whose build was requeued and re-claimed by another one.
 */
@RestController
@InternalApi(ComponentRole.BUILD_WORKER)
public class InternalBuildsController {
    private final ClaimBuild claimBuild;
    private final HeartbeatBuild heartbeatBuild;
    private final AppendBuildOutput appendOutput;
    private final CompleteBuild completeBuild;
    private final ObjectMapper mapper;
    private final OwnStoreUrls ownStore;
    private final CompleteImageBuild completeImageBuild;
    private final RequestImageBlobs requestImageBlobs;

    public InternalBuildsController(ClaimBuild claimBuild, HeartbeatBuild heartbeatBuild, AppendBuildOutput appendOutput,
                                    CompleteBuild completeBuild, ObjectMapper mapper, OwnStoreUrls ownStore,
                                    CompleteImageBuild completeImageBuild, RequestImageBlobs requestImageBlobs) {
        this.completeImageBuild = completeImageBuild;
        this.requestImageBlobs = requestImageBlobs;
        this.ownStore = ownStore;
        this.claimBuild = claimBuild;
        this.heartbeatBuild = heartbeatBuild;
        this.appendOutput = appendOutput;
        this.completeBuild = completeBuild;
        this.mapper = mapper;
    }

    /** The claim, as the contract spells it (snake_case by the global naming strategy). */
    public record ClaimJson(UUID buildId, UUID appId, String appName, String stack, String sourceUrl,
                            String sourceChecksum, List<String> buildpacks, Map<String, String> configVars,
                            String cacheGetUrl, String cachePutUrl, UUID slugId, String slugPutUrl,
                            int leaseSeconds, int timeoutSeconds, long maxSlugBytes,
                            boolean sourceFromPlatform, Map<String, Object> previousImage) {}

    public record LeaseJson(int leaseSeconds) {}

    public record ReleaseRef(UUID id, int version) {}

    public record ResultJson(ReleaseRef release) {}

    @PostMapping("/internal/builds/claim")
    public ResponseEntity<ClaimJson> claim(@RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        return claimBuild.claim(json.optString("worker_id"))
                .map(c -> {
                    Build b = c.build();
                    return ResponseEntity.ok(new ClaimJson(b.id(), c.app().id(), c.app().name(), b.stack(),
                            b.source().url(), b.source().checksum(),
                            b.buildpacks().stream().map(BuildpackList.Entry::url).toList(),
                            new LinkedHashMap<>(c.configVars()), c.cacheGetUrl(), c.cachePutUrl(), b.slugId(),
                            c.slugPutUrl(), c.leaseSeconds(), c.timeoutSeconds(), c.maxSlugBytes(),
                            ownStore.isOwn(b.source().url()),
                            c.previousImage()));
                })
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping("/internal/builds/{id}/heartbeat")
    public LeaseJson heartbeat(@PathVariable String id, @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        return new LeaseJson(heartbeatBuild.heartbeat(buildId(id), json.optString("worker_id")));
    }

    /** Any content type; the body is read as UTF-8 (malformed bytes become U+FFFD rather than failing the chunk). */
    @PostMapping("/internal/builds/{id}/output")
    public ResponseEntity<Void> output(@PathVariable String id, @RequestBody(required = false) byte[] body) {
        UUID build = buildId(id);
        appendOutput.append(build, body == null ? "" : new String(body, StandardCharsets.UTF_8));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/internal/builds/{id}/result")
    public ResponseEntity<?> result(@PathVariable String id, @RequestBody(required = false) String body) {
        UUID build = buildId(id);
        JsonBody json = JsonBody.parse(mapper, body);
        String status = json.optString("status");
        String workerId = json.optString("worker_id");
        CompleteBuild.Outcome outcome;
        if ("failed".equals(status)) {
            outcome = new CompleteBuild.Failed(json.optString("message"), workerId);
        } else if ("succeeded".equals(status) && json.has("image") && !json.isNull("image")) {
            if (json.has("slug") && !json.isNull("slug")) {
                throw ApiErrors.invalidParams("A result carries a `slug` or an `image`, not both.");
            }
            Release release = completeImageBuild.complete(build, imageReport(json.node("image")), workerId);
            return ResponseEntity.ok(new ResultJson(new ReleaseRef(release.id(), release.version())));
        } else if ("succeeded".equals(status)) {
            outcome = new CompleteBuild.Succeeded(slugReport(json.node("slug")), workerId);
        } else {
            throw ApiErrors.invalidParams("Invalid `status`: expected \"succeeded\" or \"failed\".");
        }
        CompleteBuild.Completed done = completeBuild.complete(build, outcome);
        if (done.release() == null) return ResponseEntity.ok(Map.of());
        return ResponseEntity.ok(new ResultJson(new ReleaseRef(done.release().id(), done.release().version())));
    }

    /**
     * {@code POST /internal/builds/{id}/image-blobs}: which of the image's blobs to upload, and where
     * ({@code put_url} null: already stored for this app or as a base-image blob).
     */
    @PostMapping("/internal/builds/{id}/image-blobs")
    public Map<String, Object> imageBlobs(@PathVariable String id, @RequestBody(required = false) String body) {
        UUID build = buildId(id);
        JsonBody json = JsonBody.parse(mapper, body);
        return ImageWire.answers(requestImageBlobs.request(build, ImageWire.blobs(json.node("blobs")),
                json.optString("worker_id")));
    }

    private static CompleteImageBuild.ImageReport imageReport(JsonNode image) {
        return new CompleteImageBuild.ImageReport(ImageWire.image("image", image),
                ImageWire.processTypes("image.process_types", image.get("process_types")),
                ImageWire.optText("image.commit", image.get("commit")),
                ImageWire.optText("image.commit_description", image.get("commit_description")),
                ImageWire.processImages("image.process_images", image.get("process_images")));
    }

    private CompleteBuild.SlugReport slugReport(JsonNode slug) {
        if (slug == null || !slug.isObject()) throw ApiErrors.invalidParams("Missing required param `slug` (an object).");
        JsonNode size = slug.get("size");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw ApiErrors.invalidParams("Invalid `slug.size`: expected the slug's size in bytes.");
        }
        Map<String, String> processTypes = new LinkedHashMap<>();
        JsonNode types = slug.get("process_types");
        if (types != null && !types.isNull()) {
            if (!types.isObject()) throw ApiErrors.invalidParams("Invalid `slug.process_types`: expected an object.");
            for (var e : types.properties()) {
                if (!e.getValue().isString()) {
                    throw ApiErrors.invalidParams("Invalid `slug.process_types`: the command of " + e.getKey() + " must be a string.");
                }
                processTypes.put(e.getKey(), e.getValue().asString());
            }
        }
        return new CompleteBuild.SlugReport(Checksums.normalize("slug.checksum", text(slug, "checksum")), size.asLong(),
                processTypes, text(slug, "buildpack_provided_description"), text(slug, "commit"),
                text(slug, "commit_description"));
    }

    private static String text(JsonNode slug, String field) {
        JsonNode n = slug.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isString()) throw ApiErrors.invalidParams("Invalid `slug." + field + "`: expected a string.");
        return n.asString();
    }

    private static UUID buildId(String id) {
        UUID uuid = Identities.uuidOrNull(id);
        if (uuid == null) throw ApiErrors.notFound("build", id);
        return uuid;
    }
}
