package io.slipway.shared.images;

import io.slipway.shared.json.Json;
import java.time.Instant;
import java.util.Map;

/**
 * A platform base image as {@code GET /internal/images/{name}} describes it: its {@code name:tag}, the image (with
 * presigned GET urls of its layers), presigned GET urls of its manifest and config blobs (null without an object
 * store) and when it was imported.
 */
public record BaseImage(String name, String tag, ImageRef image, String manifestUrl, String configUrl,
                        Instant createdAt) {

    public String nameAndTag() {
        return name + ":" + tag;
    }

    static BaseImage parse(Object json) {
        Map<String, Object> m = Json.object(json);
        return new BaseImage(ImageLayer.str(m.get("name")), ImageLayer.str(m.get("tag")), ImageRef.parse(m),
                ImageLayer.str(m.get("manifest_url")), ImageLayer.str(m.get("config_url")),
                m.get("created_at") instanceof String s ? Instant.parse(s) : null);
    }
}
