package io.slipway.buildworker.images;

import io.slipway.shared.builds.InternalApiException;
import io.slipway.shared.builds.LeaseLostException;
import io.slipway.shared.builds.ReleaseRef;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
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

/**
 * The build-worker's side of the image part of the internal API: base images
 * ({@code GET /internal/images/{name}}), which of a build's blobs still need uploading
 * ({@code POST /internal/builds/{id}/image-blobs}) and the image result ({@code POST /internal/builds/{id}/result}
 * with {@code image}). Same token and HTTP client as the builds client; snake_case JSON. Thread-safe.
 */
public final class ImagesClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** The contract's cap on one image-blobs request. */
    static final int MAX_BLOBS_PER_REQUEST = 512;

    private final URI apiUrl;
    private final String token;
    private final HttpClient http;

    /** A base image the platform does not have; the message is the api-server's, for the build's output. */
    public static final class BaseImageMissingException extends IOException {
        BaseImageMissingException(String message) {
            super(message);
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

    public ImagesClient(URI apiUrl, String token, HttpClient http) {
        String base = apiUrl.toString();
        this.apiUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.token = token;
        this.http = http;
    }

    public HttpClient http() {
        return http;
    }

    /** {@code GET /internal/images/{name:tag}}: the platform's base image, with presigned GET urls of its layers. */
    public ImageRef baseImage(String name, String tag) throws IOException {
        // name and tag were checked against the contract's patterns (BaseImageName): nothing to escape
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                apiUrl.resolve("internal/images/" + name + ":" + tag)).GET());
        if (response.statusCode() == 404) {
            String message = message(response);
            throw new BaseImageMissingException(message != null ? message : "Base image " + name + ":" + tag
                    + " is not available: import it with slipway images:import.");
        }
        expect(response, 200, "base image");
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
            HttpResponse<String> response = post("builds/" + buildId + "/image-blobs", Map.of("blobs", body));
            if (response.statusCode() == 409) throw new LeaseLostException(buildId);
            expect(response, 200, "image-blobs");
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
        HttpResponse<String> response = post("builds/" + buildId + "/result", body);
        if (response.statusCode() == 409) throw new LeaseLostException(buildId);
        expect(response, 200, "result");
        try {
            Map<String, Object> release = Json.object(Json.parseObject(response.body()).get("release"));
            return new ReleaseRef(String.valueOf(release.get("id")), ((Number) release.get("version")).intValue());
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException("malformed result response from the api-server: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> post(String path, Object body) throws IOException {
        return send(HttpRequest.newBuilder(apiUrl.resolve("internal/" + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling the api-server");
        }
    }

    private static String message(HttpResponse<String> response) {
        try {
            return Json.parseObject(response.body()).get("message") instanceof String s ? s : null;
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    private static void expect(HttpResponse<String> response, int status, String call) throws InternalApiException {
        if (response.statusCode() == status) return;
        String message = message(response);
        if (message == null) message = response.body();
        if (message != null && message.length() > 300) message = message.substring(0, 300) + "...";
        throw new InternalApiException(response.statusCode(),
                "api-server answered " + response.statusCode() + " to " + call + ": " + message);
    }
}
