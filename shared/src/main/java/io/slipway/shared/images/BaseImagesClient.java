package io.slipway.shared.images;

import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's side of the base-image endpoints ({@code /internal/images}, the operator's token): what
 * {@code slipway images:import} and {@code slipway up}'s default images use. Here in shared so the api-server's
 * tests hold it to the real server (BaseImagesClientContractTest). A refusal is an
 * {@link io.slipway.shared.internalapi.InternalApiException} whose message is the server's own, for the operator to
 * read. Uploading the blobs to their presigned urls is the caller's (the object store is not the internal API).
 */
public final class BaseImagesClient {
    /** Storing an image has the api-server verify every blob in the object store: large layers take a while. */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final String WHAT = "base images";
    private final InternalTransport api;

    public BaseImagesClient(InternalTransport api) {
        this.api = api;
    }

    /** The stored image {@code name[:tag]}, or empty when the platform has none of that name. */
    public Optional<BaseImage> get(String nameAndTag) throws IOException {
        Reply r = api.get(path(nameAndTag), TIMEOUT);
        if (r.status() == 404) return Optional.empty();
        return Optional.of(ok(r).read(WHAT, BaseImage::parse));
    }

    /** Every base image the platform has, by name and tag. */
    public List<BaseImage> list() throws IOException {
        return ok(api.get("/internal/images", TIMEOUT)).read(WHAT, body -> {
            List<BaseImage> out = new ArrayList<>();
            for (Object o : Json.array(body)) out.add(BaseImage.parse(o));
            return List.copyOf(out);
        });
    }

    /**
     * For each blob the platform does not hold yet, the presigned PUT url to upload it to (digest to url); blobs
     * it already stores are left out.
     */
    public Map<String, String> uploadUrls(List<ImageLayer> blobs) throws IOException {
        List<Object> asked = new ArrayList<>();
        for (ImageLayer b : blobs) asked.add(Map.of("digest", b.digest(), "size", b.size()));
        Reply r = ok(api.json("POST", "/internal/images/blobs", Map.of("blobs", asked), TIMEOUT));
        return r.read(WHAT, body -> {
            Map<String, String> urls = new LinkedHashMap<>();
            for (Object o : Json.array(Json.object(body).get("blobs"))) {
                Map<String, Object> b = Json.object(o);
                if (b.get("put_url") instanceof String url && b.get("digest") instanceof String digest) urls.put(digest, url);
            }
            return urls;
        });
    }

    /** Records (or replaces) {@code name[:tag]} as {@code image}, whose blobs are uploaded; the stored image. */
    public BaseImage put(String nameAndTag, ImageRef image) throws IOException {
        return ok(api.json("PUT", path(nameAndTag), image.toJson(), TIMEOUT)).read(WHAT, BaseImage::parse);
    }

    /** The name and tag are checked by the api-server; the colon between them stays as it is. */
    private static String path(String nameAndTag) {
        return "/internal/images/" + InternalTransport.segment(nameAndTag).replace("%3A", ":");
    }

    private static Reply ok(Reply r) throws IOException {
        if (!r.ok()) throw r.refusal();
        return r;
    }
}
