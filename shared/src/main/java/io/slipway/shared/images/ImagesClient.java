package io.slipway.shared.images;

import io.slipway.shared.builds.LeaseLostException;
import io.slipway.shared.builds.ReleaseRef;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The build-worker's side of the image part of the internal API: base images
 * ({@code GET /internal/images/{name}}), which of a build's blobs still need uploading
 * ({@code POST /internal/builds/{id}/image-blobs}) and the image result ({@code POST /internal/builds/{id}/result}
 * with {@code image}). On the builds client's {@link InternalTransport} (same token, CA and HTTP client);
 * snake_case JSON. Thread-safe.
 */
public final class ImagesClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** The contract's cap on one image-blobs request. */
    public static final int MAX_BLOBS_PER_REQUEST = 512;

    private final InternalTransport api;

    /** A base image the platform does not have; the message is the api-server's, for the build's output. */
    public static final class BaseImageMissingException extends InternalApiException {
        BaseImageMissingException(String id, String message) {
            super(404, id, message);
        }
    }

    /**
     * What a successful image build reports: the primary image, and for each process type that runs in another
     * image (heroku.yml naming several Dockerfiles) that image.
     */
    public record BuiltImage(ImageRef image, Map<String, String> processTypes, String commit,
                             String commitDescription, Map<String, ImageRef> processImages) {
        public BuiltImage(ImageRef image, Map<String, String> processTypes, String commit, String commitDescription) {
            this(image, processTypes, commit, commitDescription, Map.of());
        }
    }

    public ImagesClient(InternalTransport api) {
        this.api = api;
    }

    public ImagesClient(URI apiUrl, String token, HttpClient http) {
        this(new InternalTransport(apiUrl, token, http));
    }

    public HttpClient http() {
        return api.http();
    }

    /** {@code GET /internal/images/{name:tag}}: the platform's base image, with presigned GET urls of its layers. */
    public ImageRef baseImage(String name, String tag) throws IOException {
        // name and tag were checked against the contract's patterns (BaseImageName): nothing to escape
        Reply response = api.get("/internal/images/" + name + ":" + tag, REQUEST_TIMEOUT);
        if (response.status() == 404) {
            String message = response.string("message");
            throw new BaseImageMissingException(response.string("id"), message != null ? message : "Base image " + name + ":" + tag
                    + " is not available: import it with slipway images:import.");
        }
        response.expect(200, "base image");
        try {
            return ImageRef.parse(Json.parse(response.body()));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException("malformed base image answer from the api-server: " + e.getMessage(), e);
        }
    }

    /**
     * {@code POST /internal/builds/{id}/image-blobs}: for each blob, the presigned PUT url it must be uploaded
     * to; blobs the app (or the base images) already hold are left out of the answer.
     */
    public Map<String, String> uploadUrls(String buildId, List<ImageLayer> blobs) throws IOException {
        Map<String, String> urls = new LinkedHashMap<>();
        for (int from = 0; from < blobs.size(); from += MAX_BLOBS_PER_REQUEST) {
            List<Object> body = new ArrayList<>();
            for (ImageLayer blob : blobs.subList(from, Math.min(blobs.size(), from + MAX_BLOBS_PER_REQUEST))) {
                body.add(Map.of("digest", blob.digest(), "size", blob.size()));
            }
            Reply response = post("builds/" + buildId + "/image-blobs", Map.of("blobs", body));
            if (response.status() == 409) throw new LeaseLostException(buildId);
            response.expect(200, "image-blobs");
            try {
                for (Object o : Json.array(Json.parseObject(response.body()).get("blobs"))) {
                    Map<String, Object> blob = Json.object(o);
                    if (blob.get("put_url") instanceof String url && blob.get("digest") instanceof String digest) {
                        urls.put(digest, url);
                    }
                }
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new IOException("malformed image-blobs answer from the api-server: " + e.getMessage(), e);
            }
        }
        return urls;
    }

    /** Reports the built image; the api-server makes release v(N+1) and answers which. */
    public ReleaseRef succeeded(String buildId, BuiltImage built) throws IOException {
        Map<String, Object> image = new LinkedHashMap<>(built.image().toJson());
        image.put("process_types", new LinkedHashMap<>(built.processTypes()));
        image.put("commit", built.commit());
        image.put("commit_description", built.commitDescription());
        if (!built.processImages().isEmpty()) {
            Map<String, Object> others = new LinkedHashMap<>();
            built.processImages().forEach((type, ref) -> others.put(type, ref.toJson()));
            image.put("process_images", others);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "succeeded");
        body.put("image", image);
        Reply response = post("builds/" + buildId + "/result", body);
        if (response.status() == 409) throw new LeaseLostException(buildId);
        response.expect(200, "result");
        try {
            Map<String, Object> release = Json.object(Json.parseObject(response.body()).get("release"));
            return new ReleaseRef(String.valueOf(release.get("id")), ((Number) release.get("version")).intValue());
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException("malformed result response from the api-server: " + e.getMessage(), e);
        }
    }

    private Reply post(String path, Object body) throws IOException {
        return api.json("POST", "/internal/" + path, body, REQUEST_TIMEOUT);
    }
}
