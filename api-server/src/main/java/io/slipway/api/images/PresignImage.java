package io.slipway.api.images;

import io.slipway.api.storage.ObjectKeys;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * An image as its readers get it (dyno-agents, a build-worker's cache source, base images): every layer with a
 * presigned GET URL of where its bytes really are (the app's namespace, or the base namespace for blobs the
 * image shares with a base image). Readers verify digest and size themselves.
 */
@Component
public class PresignImage {
    private final ObjectStorage storage;

    public PresignImage(ObjectStorage storage) {
        this.storage = storage;
    }

    /** {@code withConfigDigest} false for assignments, whose shape has none. URLs null without a store. */
    public ImageRef of(Image image, boolean withConfigDigest) {
        List<ImageLayer> layers = new ArrayList<>();
        for (ImageLayer l : image.layers()) {
            layers.add(new ImageLayer(l.digest(), l.size(), l.mediaType(), url(image, l.digest())));
        }
        return new ImageRef(image.manifestDigest(), withConfigDigest ? image.configDigest() : null, layers,
                image.config());
    }

    /**
     * The JSON a build-worker gets (a base image, a claim's previous image): the image with {@code config_digest}
     * plus {@code manifest_url} and {@code config_url}, presigned GETs of the manifest and config blobs, so the
     * worker can load the image into its local storage exactly as it was pushed.
     */
    public Map<String, Object> forBuilder(Image image) {
        Map<String, Object> json = of(image, true).toJson();
        json.put("manifest_url", url(image, image.manifestDigest()));
        json.put("config_url", url(image, image.configDigest()));
        return json;
    }

    private String url(Image image, String digest) {
        return storage.available() ? storage.presignGet(key(image, digest)) : null;
    }

    private static String key(Image image, String digest) {
        return image.inBase(digest) ? ObjectKeys.baseImageBlob(digest) : ObjectKeys.appImageBlob(image.appId(), digest);
    }
}
