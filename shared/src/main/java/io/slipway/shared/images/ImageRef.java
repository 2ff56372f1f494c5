package io.slipway.shared.images;

import io.slipway.shared.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI image as the internal API passes it around (build results, assignments, base images, a claim's
 * previous image): the manifest's digest, the layers bottom first, and the config the platform keeps.
 * The JSON shape is in docs/internal-api.md.
 *
 * @param configDigest the OCI config blob's digest, or null where the reader does not need it (assignments)
 */
public record ImageRef(String manifestDigest, String configDigest, List<ImageLayer> layers, ImageConfig config) {

    public ImageRef {
        layers = List.copyOf(layers);
    }

    /** Sum of the layers' sizes (what a dyno-agent downloads at most). */
    public long layersSize() {
        return layers.stream().mapToLong(ImageLayer::size).sum();
    }

    public static ImageRef parse(Object json) {
        Map<String, Object> m = Json.object(json);
        List<ImageLayer> layers = new ArrayList<>();
        for (Object o : Json.array(m.get("layers"))) layers.add(ImageLayer.parse(o));
        return new ImageRef(ImageLayer.str(m.get("manifest_digest")), ImageLayer.str(m.get("config_digest")),
                layers, ImageConfig.parse(m.get("config")));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("manifest_digest", manifestDigest);
        if (configDigest != null) m.put("config_digest", configDigest);
        List<Object> ls = new ArrayList<>();
        for (ImageLayer l : layers) ls.add(l.toJson());
        m.put("layers", ls);
        m.put("config", config.toJson());
        return m;
    }

    /** Parses then writes back: the canonical JSON text of an image (what the api-server stores). */
    public String toJsonText() {
        return Json.write(toJson());
    }
}
