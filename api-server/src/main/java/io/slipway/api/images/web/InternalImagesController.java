package io.slipway.api.images.web;

import io.slipway.api.images.BaseImageName;
import io.slipway.api.images.FindBaseImage;
import io.slipway.api.images.Image;
import io.slipway.api.images.PresignImage;
import io.slipway.api.images.StoreBaseImage;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalApi;
import io.slipway.api.web.JsonBody;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * Platform base images on the internal API (docs/internal-api.md, "Base images"): the operator imports them
 * ({@code slipway images:import}: blobs, then PUT) and lists them; build-workers read one to load what a
 * Dockerfile's {@code FROM} names. Dyno-agents and other components get 403: nothing here is theirs.
 */
@RestController
@InternalApi(ComponentRole.OPERATOR)
public class InternalImagesController {
    private final FindBaseImage findBaseImage;
    private final StoreBaseImage storeBaseImage;
    private final PresignImage presignImage;
    private final ObjectMapper mapper;

    public InternalImagesController(FindBaseImage findBaseImage, StoreBaseImage storeBaseImage,
                                    PresignImage presignImage, ObjectMapper mapper) {
        this.findBaseImage = findBaseImage;
        this.storeBaseImage = storeBaseImage;
        this.presignImage = presignImage;
        this.mapper = mapper;
    }

    @GetMapping("/internal/images/{name}")
    @InternalApi({ComponentRole.BUILD_WORKER, ComponentRole.OPERATOR})
    public Map<String, Object> one(@PathVariable String name) {
        return json(findBaseImage.of(BaseImageName.parse(name)));
    }

    @GetMapping("/internal/images")
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Image image : findBaseImage.all()) out.add(json(image));
        return out;
    }

    @PostMapping("/internal/images/blobs")
    public Map<String, Object> blobs(@RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        return ImageWire.answers(storeBaseImage.blobs(ImageWire.blobs(json.node("blobs"))));
    }

    @PutMapping("/internal/images/{name}")
    public Map<String, Object> put(@PathVariable String name, @RequestBody(required = false) String body) {
        BaseImageName ref = BaseImageName.parse(name);
        JsonBody json = JsonBody.parse(mapper, body);
        return json(storeBaseImage.store(ref, ImageWire.image("", json.root())));
    }

    /** {@code name}, {@code tag}, then the image as a build-worker loads it ({@link PresignImage#forBuilder}). */
    private Map<String, Object> json(Image image) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", image.name());
        out.put("tag", image.tag());
        out.putAll(presignImage.forBuilder(image));
        out.put("created_at", image.createdAt().toString());
        return out;
    }
}
